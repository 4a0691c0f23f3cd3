package dev.netprof.bench;

/**
 * The client side of one loopback workload, stepped by {@link LoopbackWorkload}: a step is one round trip, one
 * GET, or one read of a byte stream. Setting up (servers, handshakes) happens before the first step, so it is never
 * timed.
 */
interface Workload extends AutoCloseable {
    /** Does one step; returns how many units it counts for (1, or the bytes a stream read returned). */
    long step() throws Exception;

    /** Units per reported unit: 1, or 1 MiB for a byte stream reported in MiB/s. */
    default double unitsPerReported() {
        return 1;
    }
}
