package dev.netprof.record;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one recording as application threads see it: where events go, which sockets are known, and what the
 * events' ids refer to. A new attach gets a new Capture, so nothing from an earlier recording leaks into the next.
 */
public final class Capture {
    /** Records per thread buffer in the agent: ~14 KiB, handed to the flusher about once a millisecond when busy. */
    public static final int RECORDS_PER_BUFFER = 256;

    public final long startedNs;
    public final Buffers buffers;
    public final Connections connections = new Connections();
    public final Catalog catalog = new Catalog();
    final Stacks stacks = new Stacks(catalog);
    final StackSampling sampling;
    /**
     * HTTP exchanges are sampled on a deadline of their own: sharing the reads' and writes', an exchange almost
     * never won it against the socket operations it causes (1 stack in 26,687 exchanges of a loopback benchmark).
     */
    final StackSampling exchangeSampling;
    final HttpTargets httpTargets = new HttpTargets(catalog);
    private final AtomicLong nextId = new AtomicLong();
    /** Runs on each thread as it records its first event of this recording. */
    private volatile Runnable newThread = () -> { };

    public Capture(long startedNs, long bufferBytes, int recordsPerBuffer, StackSampling sampling) {
        this.startedNs = startedNs;
        this.buffers = new Buffers(bufferBytes, recordsPerBuffer);
        this.sampling = sampling;
        this.exchangeSampling = sampling.withOwnDeadline();
    }

    /**
     * {@code r} runs on each thread that records an event, once per recording, as it records its first (a virtual
     * thread: on its carrier). Set before the recording starts, or a thread could be missed.
     */
    public void onNewThread(Runnable r) {
        newThread = r;
    }

    void newThread() {
        try {
            newThread.run();
        } catch (Throwable t) {
            // the thread's event is recorded all the same
        }
    }

    long newId() {
        return nextId.incrementAndGet();
    }

    /** Events lost because no buffer was free, plus definitions lost because the catalog queue was full. */
    public long dropped() {
        return buffers.dropped() + catalog.dropped();
    }
}
