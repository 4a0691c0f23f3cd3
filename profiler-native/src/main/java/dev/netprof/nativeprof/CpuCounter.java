package dev.netprof.nativeprof;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU's time-stamp counter, read by netprof's own library in the {@link NativeLayer}: netprof's clock where the
 * JVM does not read the counter itself. Only on x86-64 Linux, and only where the CPU says its counter is invariant
 * (constant rate, running in every sleep state): the clock measures its rate against System.nanoTime() and keeps to
 * that line, but a counter that changes rate with the CPU's frequency would make durations wrong between two
 * measurements.
 */
public final class CpuCounter {
    private static final List<String> INVARIANT = List.of("constant_tsc", "nonstop_tsc");
    /** A read costs ~10 ns, less than System.nanoTime(); one a hypervisor traps costs a microsecond or more. */
    private static final long MAX_NS_OVER_NANO_TIME = 300;
    private static final int PROBE_READS = 1_000;

    /** The counter's read, a static {@code ()long} handle; throws, saying why, where netprof cannot read it. */
    public static MethodHandle open(Instrumentation inst, Path selfJar) throws IOException {
        checkPlatform();
        return probe(NativeLayer.load(inst, selfJar));
    }

    /**
     * The same, with the library loaded by {@code loader} rather than in the native layer: for a benchmark of the
     * recording path, which has netprof's classes on its class path and no agent to define the layer with.
     */
    public static MethodHandle open(ClassLoader loader) throws IOException {
        checkPlatform();
        return probe(loader);
    }

    private static void checkPlatform() throws IOException {
        if (!"x64".equals(NativeLayer.linuxArch())) {
            throw new IOException("netprof reads the CPU's time-stamp counter on x86-64 Linux, not "
                + NativeLayer.platform());
        }
        if (!invariant(Path.of("/proc/cpuinfo"))) {
            throw new IOException("the CPU does not say its time-stamp counter is invariant (" + INVARIANT + ")");
        }
    }

    /** Loads the library with {@code loader}'s TimeStampCounter and checks that a read is cheap and advances. */
    private static MethodHandle probe(ClassLoader loader) throws IOException {
        try {
            Class<?> counter = Class.forName("dev.netprof.nativeprof.layer.TimeStampCounter", true, loader);
            Path library;
            try (InputStream in = (InputStream) counter.getMethod("library").invoke(null)) {
                library = PrivateTempFile.copyOf(in, "netprof-tsc-", ".so");
            }
            try {
                counter.getMethod("load", Path.class).invoke(null, library);
            } finally {
                // The loaded library stays mapped: nothing is left in the temporary directory, even after a crash.
                Files.deleteIfExists(library);
            }
            MethodHandle read = MethodHandles.publicLookup().findStatic(counter, "read",
                MethodType.methodType(long.class));
            long first = (long) read.invokeExact();
            long over = (long) counter.getMethod("costOverNanoTime", int.class).invoke(null, PROBE_READS);
            if ((long) read.invokeExact() <= first || over > MAX_NS_OVER_NANO_TIME) {
                throw new IOException("the CPU's time-stamp counter " + (over > MAX_NS_OVER_NANO_TIME
                    ? "took " + over + " ns a read more than System.nanoTime()" : "did not advance"));
            }
            return read;
        } catch (IOException e) {
            throw e;
        } catch (InvocationTargetException e) {
            throw new IOException("netprof's time-stamp counter did not load: " + e.getCause(), e.getCause());
        } catch (Throwable e) {
            throw new IOException("netprof's time-stamp counter did not load: " + e, e);
        }
    }

    /** Whether the first CPU's flags in {@code cpuinfo} include every {@link #INVARIANT} one. */
    static boolean invariant(Path cpuinfo) throws IOException {
        for (String line : Files.readAllLines(cpuinfo)) {
            if (line.startsWith("flags")) {
                List<String> flags = Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                return flags.containsAll(INVARIANT);
            }
        }
        return false;
    }

    private CpuCounter() {
    }
}
