package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed array of event records written by one thread and read by the flusher.
 *
 * <p>Who touches what, and when:
 * <ul>
 *   <li>{@code data} slots below {@code published}: written once by the owner, then only read by the flusher.
 *   <li>{@code published}: advanced by the owner with a release store after each record is complete; the flusher
 *       reads it with acquire semantics, so it never sees a half-written record.
 *   <li>{@code consumed}: the flusher's own position; nobody else reads it.
 *   <li>{@code owner}: set when a thread takes the buffer from {@link Buffers}, cleared by that thread when it
 *       hands the buffer over full, or by the flusher when it recycles a dead owner's. A buffer goes back to the
 *       pool only when its owner has handed it over (full) or has died, so the owner and the recycling flusher never
 *       write the same buffer.
 * </ul>
 * Records are {@link #RECORD} longs: header (op | outcome | ref), start, duration, connection, bytes, Java thread
 * id, stack id. Nothing here allocates.
 */
public final class EventBuffer {
    public static final int RECORD = 7;
    public static final int H = 0, START = 1, DURATION = 2, CONNECTION = 3, BYTES = 4, THREAD = 5, STACK = 6;

    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(EventBuffer.class, "published", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final long[] data;
    public final int capacity;
    /** Index in {@link Buffers}' table, so the flusher can find every buffer without a registry of threads. */
    final int slot;
    private volatile int published;
    private int consumed;
    volatile Thread owner;
    /** The owner's Linux thread id, for pairing with native samples (0 when unknown). */
    volatile int ownerTid;

    EventBuffer(int capacity, int slot) {
        this.capacity = capacity;
        this.slot = slot;
        this.data = new long[capacity * RECORD];
    }

    /** Appends one record; false when the buffer is full and must be handed over. Owner thread only. */
    boolean put(long header, long start, long duration, long connection, long bytes, long thread, long stack) {
        int p = published;
        if (p == capacity) {
            return false;
        }
        long[] d = data;
        int i = p * RECORD;
        d[i + H] = header;
        d[i + START] = start;
        d[i + DURATION] = duration;
        d[i + CONNECTION] = connection;
        d[i + BYTES] = bytes;
        d[i + THREAD] = thread;
        d[i + STACK] = stack;
        PUBLISHED.setRelease(this, p + 1);
        return true;
    }

    boolean isFull() {
        return published == capacity;
    }

    /** Flusher: the first record not yet read. */
    public int consumed() {
        return consumed;
    }

    /** Flusher: the end of the complete records, read with acquire semantics. */
    public int published() {
        return (int) PUBLISHED.getAcquire(this);
    }

    /** Flusher: marks records up to {@code upTo} as written out. */
    public void consumedUpTo(int upTo) {
        consumed = upTo;
    }

    /** Owner, taking the buffer. */
    void taken(Thread owner, int ownerTid) {
        this.ownerTid = ownerTid;
        this.owner = owner;
    }

    public int ownerTid() {
        return ownerTid;
    }

    /** Flusher, when the buffer is back in its hands: empties it for the next owner. */
    void reset() {
        consumed = 0;
        owner = null;
        ownerTid = 0;
        PUBLISHED.setRelease(this, 0);
    }
}
