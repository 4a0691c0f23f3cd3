package dev.netprof.nativeprof;

/** async-profiler cannot run here; the message names the cause and, where there is one, the fix. */
public final class ProfilerUnavailable extends Exception {
    public ProfilerUnavailable(String message) {
        super(message);
    }
}
