package dev.netprof.nativeprof.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

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

    /** The library, to be copied to a file that {@link #load} then loads: System.load needs a file. */
    public static InputStream library() throws IOException {
        InputStream in = TimeStampCounter.class.getResourceAsStream(LIBRARY);
        if (in == null) {
            throw new IOException("netprof.jar has no " + LIBRARY);
        }
        return in;
    }

    /** Loads the library from {@code file}: from this module, which has native access, and binds {@link #read}. */
    public static void load(Path file) {
        System.load(file.toString());
    }

    private TimeStampCounter() {
    }
}
