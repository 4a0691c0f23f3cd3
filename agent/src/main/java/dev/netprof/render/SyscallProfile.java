package dev.netprof.render;

import dev.netprof.event.Op;
import dev.netprof.nativeprof.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * flame-syscalls: async-profiler's samples taken inside network operations, rooted by {@code [peer host:port]}
 * then {@code [op]}, then the sampled stack from Java through native code (and the kernel, with syscalls=kernel).
 * Samples in the JDK's socket native code that fall in no recorded operation go under {@code [unattributed]}.
 * Weights are the time each sample stands for (its interval, times the samples in a batch): CPU samples for time
 * on CPU, wall-clock samples of a waiting thread for time blocked. Wall samples of a running thread are left out,
 * since that time is in its CPU samples already.
 */
final class SyscallProfile {
    /** Where sampled time went, split by the kind of code at the leaf. */
    static final int JVM = 0, NATIVE = 1, KERNEL = 2;

    final SamplePairing pairing;
    final Map<String, Long> folded = new LinkedHashMap<>();
    /** Per peer: {cpu jvm, cpu native, cpu kernel, blocked jvm, blocked native, blocked kernel} in ns. */
    final Map<String, long[]> byPeer = new TreeMap<>();
    long attributed;
    long unattributedInSocketCode;

    SyscallProfile(Recording r, SamplePairing pairing) {
        this.pairing = pairing;
        for (int i = 0; i < pairing.samples.size(); i++) {
            Samples.Sample s = pairing.samples.get(i);
            if (s.kind() == Samples.WALL_RUNNABLE) {
                continue; // a running thread's time is in its CPU samples already
            }
            String root;
            if (pairing.op[i] != 0) {
                Recording.Connection c = r.connections.get(pairing.connection[i]);
                String peer = c == null || c.remote == null ? "unknown" : FlameGraphs.frameText(c.remote);
                root = "[peer " + peer + "];[" + Op.name(pairing.op[i]) + "]";
                attributed++;
                long[] split = byPeer.computeIfAbsent(peer, p -> new long[6]);
                split[(s.kind() == Samples.WALL_SLEEPING ? 3 : 0) + leafKind(s)] += s.weightNs();
            } else if (SamplePairing.inSocketCode(s)) {
                root = "[unattributed]";
                unattributedInSocketCode++;
            } else {
                continue;
            }
            folded.merge(root + frames(s), s.weightNs(), Long::sum);
        }
    }

    static int leafKind(Samples.Sample s) {
        if (s.types().length == 0 || Samples.isJava(s.types()[0]) || s.types()[0] == Samples.CPP) {
            return JVM;
        }
        return s.types()[0] == Samples.KERNEL ? KERNEL : NATIVE;
    }

    /** The sampled stack, outermost first, with async-profiler's suffixes for Java and kernel frames. */
    private static String frames(Samples.Sample s) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.frames().length - 1; i >= 0; i--) {
            byte t = s.types()[i];
            sb.append(';').append(s.frames()[i]).append(Samples.isJava(t) ? "_[j]" : t == Samples.KERNEL ? "_[k]" : "");
        }
        return sb.toString();
    }

    boolean hasKernelFrames() {
        for (Samples.Sample s : pairing.samples) {
            for (byte t : s.types()) {
                if (t == Samples.KERNEL) {
                    return true;
                }
            }
        }
        return false;
    }

    void write(Path dir) throws IOException {
        FlameGraphs.write(dir, "flame-syscalls", folded, "netprof: sampled time in network calls by peer and op ("
            + String.join(", ", pairing.modes) + "; weights in ns estimated from sample intervals)");
    }
}
