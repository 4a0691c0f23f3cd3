package dev.netprof.record;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.jctools.queues.atomic.SpmcAtomicArrayQueue;

/**
 * The bounded pool of {@link EventBuffer}s and the two queues that move them between application threads and the
 * flusher.
 *
 * <p>A buffer is in exactly one place: the free queue (nobody writes it), one thread's hands (that thread writes it,
 * the flusher may read its published records), or the full queue (handed over; the flusher drains and frees it).
 * Buffers are created lazily up to {@code maxBuffers}; past that, a thread that needs a buffer and finds none drops
 * the event and counts it. No application thread ever waits. The atomic (non-Unsafe) JCTools queues keep JDK 24+
 * from printing sun.misc.Unsafe warnings into the application's output.
 *
 * <p>The flusher sleeps long between drains, because each wake-up costs more than the events it drains in a busy
 * ping-pong (see {@code Flusher.WRITE_NS}). What keeps a burst from filling the pool meanwhile is the hand-over: the
 * one that finds a quarter of the pool queued wakes the flusher ({@link LockSupport#unpark}, which returns at
 * once), as a JFR thread posts to its recorder when global buffers fill. A quarter leaves a burst the rest of the
 * pool while the flusher wakes and drains (~450 k events of the default pool, 90 ms at 5 M events a second); the
 * quarter itself, ~150 k events, is more than a pinned loopback ping-pong (~200-320 k events a second) hands over
 * between two wake-ups, so there no application thread ever wakes the flusher.
 */
public final class Buffers {
    final int recordsPerBuffer;
    final int maxBuffers;
    private final AtomicReferenceArray<EventBuffer> all;
    private final AtomicInteger created = new AtomicInteger();
    /** Producer: the flusher (recycling). Consumers: application threads. */
    private final SpmcAtomicArrayQueue<EventBuffer> free;
    /** Producers: application threads (handing over full buffers). Consumer: the flusher. */
    private final MpscAtomicArrayQueue<EventBuffer> full;
    final AtomicLong dropped = new AtomicLong();
    /** Full buffers queued that make a hand-over wake the {@link #drainer}. */
    private final int wakeAt;
    private volatile Thread drainer;
    /** Set by the hand-over that woke the drainer, cleared by the drainer as it starts draining. */
    private volatile boolean wakeAsked;

    public Buffers(long totalBytes, int recordsPerBuffer) {
        this.recordsPerBuffer = recordsPerBuffer;
        long perBuffer = (long) recordsPerBuffer * EventBuffer.RECORD * Long.BYTES;
        this.maxBuffers = (int) Math.max(2, Math.min(1 << 20, totalBytes / perBuffer));
        this.all = new AtomicReferenceArray<>(maxBuffers);
        this.free = new SpmcAtomicArrayQueue<>(maxBuffers);
        this.full = new MpscAtomicArrayQueue<>(maxBuffers);
        this.wakeAt = Math.max(1, maxBuffers / 4);
    }

    /** A buffer for the calling thread, or null when the pool is exhausted. */
    EventBuffer acquire(Thread owner, int ownerTid) {
        EventBuffer b = free.poll();
        if (b == null) {
            int slot;
            do {
                slot = created.get();
                if (slot >= maxBuffers) {
                    return null;
                }
            } while (!created.compareAndSet(slot, slot + 1));
            b = new EventBuffer(recordsPerBuffer, slot);
            all.set(slot, b);
        }
        b.taken(owner, ownerTid);
        return b;
    }

    /**
     * The owner gives up a full buffer. It stops being owned before it is queued, so the flusher never also
     * recycles it as a dead thread's buffer. The queue holds every buffer there is, so the offer cannot fail.
     */
    void handOver(EventBuffer b) {
        b.owner = null;
        full.offer(b);
        if (!wakeAsked && full.size() >= wakeAt) {
            Thread t = drainer;
            if (t != null) {
                wakeAsked = true;
                LockSupport.unpark(t);
            }
        }
    }

    // ---- flusher side ----

    /** {@code t} drains the full buffers: a hand-over wakes it when they pile up. */
    public void drainedBy(Thread t) {
        drainer = t;
    }

    /** The drainer is awake and about to drain: the next pile-up wakes it again. */
    public void draining() {
        wakeAsked = false;
    }

    public EventBuffer pollFull() {
        return full.poll();
    }

    /** Buffers created so far; entries may be null for a moment while a creator publishes its slot. */
    public int created() {
        return created.get();
    }

    public EventBuffer at(int slot) {
        return all.get(slot);
    }

    /** True when the thread that owns {@code b} has died, so its partial buffer will never be handed over. */
    public boolean ownerGone(EventBuffer b) {
        Thread t = b.owner;
        return t != null && !t.isAlive();
    }

    /** Takes a fully drained buffer back: from a full hand-over, or from a dead owner. */
    public void recycle(EventBuffer b) {
        b.reset();
        free.offer(b);
    }

    /**
     * After the last drain: lets go of every buffer this pool made. A thread that recorded keeps its state (and, in
     * it, this pool) until it records again; without this, that kept every buffer of a busy recording, up to
     * {@code buffer=}, on the application's heap after the stop.
     */
    public void release() {
        for (int i = 0, n = created.get(); i < n; i++) {
            all.set(i, null);
        }
        while (free.poll() != null) {
            // emptied
        }
        while (full.poll() != null) {
            // emptied: drained before this
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public int maxBuffers() {
        return maxBuffers;
    }
}
