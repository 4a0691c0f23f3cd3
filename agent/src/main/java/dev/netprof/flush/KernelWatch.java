package dev.netprof.flush;

import dev.netprof.record.FastClock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes the kernel's view of the sockets on a thread of its own, paced by what it costs, and hands each snapshot to
 * the flusher. Reading /proc/net/tcp makes the kernel print every socket of the namespace: 4.5 ms on an idle VM,
 * 0.3 s with 250 k sockets, over a second on a host with a million. On the flusher that read stopped the draining of
 * the application threads' buffers for as long, and a busy application filled the pool and dropped events meanwhile.
 */
final class KernelWatch {
    /** The view is read at most this often. */
    static final long EVERY_NS = 5_000_000_000L;
    /** The next read waits at least this many times as long as the last one took: never more than 0.1% of a CPU. */
    static final long COST_RATIO = 1000;
    /**
     * How long a stop waits for a read under way (a million sockets take over a second) before it leaves the last
     * snapshot out rather than hold up the application's exit.
     */
    static final long STOP_WAIT_MS = 5_000;

    private final KernelView view;
    private final Thread thread;
    /** The latest snapshot the flusher has not written yet: at most one is held. */
    private final AtomicReference<KernelView.Snapshot> taken = new AtomicReference<>();
    private volatile boolean stopping;

    KernelWatch(KernelView view) {
        this.view = view;
        this.thread = new Thread(this::run, "netprof-kernel");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The snapshot taken since the last call, or null. */
    KernelView.Snapshot poll() {
        // The plain read first: the flusher's loop runs interpreted, where getAndSet goes through VarHandle
        // linkage each call (11% of an idle flusher's CPU), and a snapshot waits once in 20-50 polls.
        return taken.get() == null ? null : taken.getAndSet(null);
    }

    /**
     * Stops the thread and returns a snapshot taken now, or null when a read under way did not end within
     * {@link #STOP_WAIT_MS} (the view reads one table at a time and cannot be shared).
     */
    KernelView.Snapshot stop(long atNs) {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return thread.isAlive() ? null : view.snapshot(atNs);
    }

    private void run() {
        while (!stopping) {
            long at = FastClock.nanoTime(); // the recording's clock: the snapshot is placed among its events
            KernelView.Snapshot s = view.snapshot(at);
            if (!s.isEmpty()) {
                taken.set(s); // one the flusher has not written yet is older: this one replaces it
            }
            long now = System.nanoTime();
            long until = now + Math.max(EVERY_NS, (now - at) * COST_RATIO);
            for (long left; !stopping && (left = until - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(this, left);
            }
        }
    }
}
