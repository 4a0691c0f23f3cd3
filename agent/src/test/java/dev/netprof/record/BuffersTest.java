package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
