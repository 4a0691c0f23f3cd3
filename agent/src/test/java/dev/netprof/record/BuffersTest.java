package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class BuffersTest {
    private static final int RECORDS = 4;
    private static final long BUFFER_BYTES = (long) RECORDS * EventBuffer.RECORD * Long.BYTES;

    @Test
    void thePoolNeverGrowsPastItsBudget() {
        Buffers pool = new Buffers(3 * BUFFER_BYTES, RECORDS);
        assertEquals(3, pool.maxBuffers());
        assertNotNull(pool.acquire(Thread.currentThread(), 1));
        assertNotNull(pool.acquire(Thread.currentThread(), 1));
        assertNotNull(pool.acquire(Thread.currentThread(), 1));
        assertNull(pool.acquire(Thread.currentThread(), 1));
        assertEquals(3, pool.created());
    }

    @Test
    void aHandedOverBufferComesBackEmptyAfterTheFlusherRecyclesIt() {
        Buffers pool = new Buffers(2 * BUFFER_BYTES, RECORDS);
        assertNotNull(pool.acquire(Thread.currentThread(), 6));
        EventBuffer b = pool.acquire(Thread.currentThread(), 7);
        for (int i = 0; i < RECORDS; i++) {
            assertTrue(b.put(i, i, 1, 1, 1, 1, 0));
        }
        assertFalse(b.put(9, 9, 9, 9, 9, 9, 9));
        pool.handOver(b);
        assertNull(pool.acquire(Thread.currentThread(), 7));
        assertSame(b, pool.pollFull());
        assertEquals(RECORDS, b.published());
        pool.recycle(b);
        EventBuffer again = pool.acquire(Thread.currentThread(), 8);
        assertSame(b, again);
        assertEquals(0, again.published());
        assertEquals(0, again.consumed());
        assertEquals(8, again.ownerTid());
    }

    /** Released after the last drain, the pool holds no buffer: threads that recorded keep only their own. */
    @Test
    void aReleasedPoolHoldsNoBuffer() {
        Buffers pool = new Buffers(4 * BUFFER_BYTES, RECORDS);
        EventBuffer free = pool.acquire(Thread.currentThread(), 1);
        pool.acquire(Thread.currentThread(), 1);
        pool.handOver(free);
        pool.recycle(pool.pollFull());
        pool.release();
        assertNull(pool.at(0));
        assertNull(pool.at(1));
        assertEquals(2, pool.acquire(Thread.currentThread(), 1).slot, "a new buffer: the free one was let go");
    }

    @Test
    void aDeadOwnersBufferIsReclaimable() throws Exception {
        Buffers pool = new Buffers(BUFFER_BYTES, RECORDS);
        EventBuffer[] taken = new EventBuffer[1];
        Thread t = new Thread(() -> taken[0] = pool.acquire(Thread.currentThread(), 1));
        t.start();
        t.join();
        assertTrue(pool.ownerGone(taken[0]));
        EventBuffer mine = taken[0];
        pool.recycle(mine);
        assertFalse(pool.ownerGone(mine));
        assertSame(mine, pool.acquire(Thread.currentThread(), 2));
    }

    @Test
    void aHandOverWakesTheDrainerOncePerDrainWhenAQuarterOfThePoolIsQueued() {
        Buffers pool = new Buffers(8 * BUFFER_BYTES, RECORDS);
        pool.drainedBy(Thread.currentThread());
        LockSupport.parkNanos(1);
        pool.handOver(pool.acquire(Thread.currentThread(), 1));
        assertFalse(woken(), "one buffer queued of an 8-buffer pool");
        pool.handOver(pool.acquire(Thread.currentThread(), 1));
        assertTrue(woken(), "two queued");
        pool.handOver(pool.acquire(Thread.currentThread(), 1));
        assertFalse(woken(), "already asked, and not draining yet");
        pool.draining();
        pool.handOver(pool.acquire(Thread.currentThread(), 1));
        assertTrue(woken(), "still four queued after the drainer woke");
    }

    /** Whether the calling thread was unparked: a park that was not cut short lasts its 200 ms. */
    private static boolean woken() {
        long start = System.nanoTime();
        LockSupport.parkNanos(200_000_000L);
        return System.nanoTime() - start < 100_000_000L;
    }
}
