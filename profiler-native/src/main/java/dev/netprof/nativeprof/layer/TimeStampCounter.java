package dev.netprof.nativeprof.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Lives in the native layer: the CPU's time-stamp counter, read by netprof's own library (x86-64 Linux). Loaded from
 * this module, which has native access, so that JDK 24+ prints no warning into the application's output.
 */
public final class TimeStampCounter {
    private static final String LIBRARY = "libnetproftsc.so";
    /** Where {@link #costOverNanoTime} puts what it reads, so that no compiler drops a read as unused. */
    private static long sink;

    /** The counter: ticks since an arbitrary origin, at a rate the caller measures. */
    public static native long read();

    /**
     * What a read costs over a System.nanoTime() call, each made the same way (from a loop that may not be compiled
     * yet), in nanoseconds: near 0, or microseconds where a hypervisor traps the instruction.
     */
    public static long costOverNanoTime(int reads) {
        long start = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            sink += read();
        }
        long middle = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            sink += System.nanoTime();
        }
        long end = System.nanoTime();
        return ((middle - start) - (end - middle)) / reads;
    }

    /**
     * Copies the library out of the jar into {@code file}, new, empty and the JVM user's alone, and loads it. The
     * file is deleted at once: the loaded library stays mapped, and nothing is left in the temporary directory, even
     * after a crash.
     */
    public static void load(Path file) throws IOException {
        try (InputStream in = TimeStampCounter.class.getResourceAsStream(LIBRARY);
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            if (in == null) {
                throw new IOException("netprof.jar has no " + LIBRARY);
            }
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        try {
            System.load(file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private TimeStampCounter() {
    }
}
