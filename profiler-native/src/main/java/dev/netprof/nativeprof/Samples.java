package dev.netprof.nativeprof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import one.jfr.ClassRef;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.ExecutionSample;

/**
 * The samples of a recording's {@code samples-*.jfr} files, as netprof pairs them with its operations: OS thread,
 * System.nanoTime() (async-profiler ran with {@code clock=monotonic}, so its ticks are nanoTime), what kind of
 * sample, how much time it stands for, and its stack with a type per frame.
 */
public final class Samples {
    /** Frame types as async-profiler writes them. */
    public static final byte INTERPRETED = 0, JIT = 1, INLINED = 2, NATIVE = 3, CPP = 4, KERNEL = 5, C1 = 6;
    /** Sample kinds: on CPU (ctimer, cpu, tracepoint), and wall-clock samples of a running or a waiting thread. */
    public static final int CPU = 0, WALL_RUNNABLE = 1, WALL_SLEEPING = 2;
    private static final String FILES = "samples-*.jfr";

    /**
     * One sample (or a batch of identical wall samples: {@code weightNs} covers them all). A tracepoint sample stands
     * for one firing, not for time: its weight is 1.
     */
    public record Sample(int osTid, long javaThread, long timeNs, int kind, long weightNs, String[] frames,
                         byte[] types) {
    }

    /** The samples and what they are: which modes ran, and whether their clock can be paired with netprof's. */
    public record Set(List<Sample> samples, List<String> modes, boolean pairable) {
    }

    /**
     * Removes the sample files of an earlier recording into {@code dir}, as a new recording overwrites its
     * events.nprof: {@link #read} reads every sample file there, and would pair an old recording's samples with the
     * new one's operations (or count them unpaired).
     */
    public static void deleteIn(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, FILES)) {
            for (Path f : ds) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The bytes of the sample files {@link #read} reads in {@code dir}: 0 when there are none. */
    public static long fileBytes(Path dir) {
        long bytes = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, FILES)) {
            for (Path f : ds) {
                bytes += Files.size(f);
            }
        } catch (IOException e) {
            // no such directory or file: nothing to read either
        }
        return bytes;
    }

    public static Set read(Path dir) throws IOException {
        List<Sample> out = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        boolean pairable = true;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, FILES)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            try (JfrReader r = new JfrReader(f.toString())) {
                pairable &= r.ticksPerSec == 1_000_000_000L;
                String name = f.getFileName().toString();
                String mode = name.substring(name.indexOf('-', "samples-".length()) + 1, name.length() - ".jfr".length());
                modes.add(mode);
                long cpuNs = 0;
                long wallNs = 0;
                Map<Integer, Object[]> stacks = new HashMap<>();
                Names names = new Names(r);
                for (ExecutionSample s; (s = r.readEvent(ExecutionSample.class)) != null; ) {
                    if (cpuNs == 0) {
                        // async-profiler writes its options before the first sample: the file's own intervals,
                        // whatever this version of netprof would sample at.
                        long[] intervals = SyscallSampler.intervalsNs(mode, r.settings);
                        cpuNs = Math.max(1, intervals[0]);
                        wallNs = Math.max(1, intervals[1]);
                    }
                    Object[] stack = stacks.computeIfAbsent(s.stackTraceId, id -> decode(r, id, names));
                    Long javaId = r.javaThreads.get(s.tid);
                    int kind = s.threadState == 0 ? CPU : s.threadState == 1 ? WALL_RUNNABLE : WALL_SLEEPING;
                    out.add(new Sample(s.tid, javaId == null ? 0 : javaId, s.time, kind,
                        s.samples() * (kind == CPU ? cpuNs : wallNs), (String[]) stack[0], (byte[]) stack[1]));
                }
            } catch (IOException e) {
                throw new IOException(f + ": " + e.getMessage(), e);
            }
        }
        return new Set(out, modes, pairable);
    }

    /** {frames leaf first, types}: Java frames as {@code pkg/Class.method}, native and kernel by symbol. */
    private static Object[] decode(JfrReader r, int stackTraceId, Names names) {
        StackTrace st = r.stackTraces.get(stackTraceId);
        if (st == null) {
            return new Object[] {new String[0], new byte[0]};
        }
        String[] frames = new String[st.methods.length];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = names.of(st.methods[i], st.types[i]);
        }
        return new Object[] {frames, st.types};
    }

    /**
     * A file's frame names, each built once and shared by every stack it is in: a long recording has thousands of
     * stacks over a few thousand methods, and one string per frame of each stack was most of what its samples held.
     */
    private static final class Names {
        private final JfrReader r;
        private final Map<Long, String> java = new HashMap<>();
        private final Map<Long, String> symbols = new HashMap<>();

        Names(JfrReader r) {
            this.r = r;
        }

        String of(long methodId, byte type) {
            boolean javaFrame = isJava(type);
            return (javaFrame ? java : symbols).computeIfAbsent(methodId, id -> build(id, javaFrame));
        }

        private String build(long methodId, boolean isJava) {
            MethodRef m = r.methods.get(methodId);
            if (m == null) {
                return "?";
            }
            String name = new String(r.symbols.get(m.name), StandardCharsets.UTF_8);
            ClassRef c = isJava ? r.classes.get(m.cls) : null;
            byte[] cls = c == null ? null : r.symbols.get(c.name);
            return cls != null && cls.length > 0 ? new String(cls, StandardCharsets.UTF_8) + "." + name : name;
        }
    }

    public static boolean isJava(byte type) {
        return type == INTERPRETED || type == JIT || type == INLINED || type == C1;
    }

    private Samples() {
    }
}
