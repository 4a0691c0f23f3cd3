package dev.netprof.flush;

import java.util.Arrays;

/**
 * The flusher's per-connection, per-op sums (operations, bytes, nanoseconds) between two writes to the log, in an
 * open-addressing table of primitive keys. The flusher adds to it for every TLS count and every operation faster
 * than {@code threshold=}; a {@code HashMap<Long, ...>} boxed a key for each, which cost more than encoding the
 * event would have (43 against 35 ns an event, 21 ns here).
 */
final class Sums {
    /** What the table holds per key: operations, bytes, nanoseconds. */
    private static final int FIELDS = 3;

    /** {@code connection << 8 | op}; 0 marks a free slot (an op is never 0). */
    private long[] keys = new long[64];
    private long[] values = new long[64 * FIELDS];
    private int size;

    void add(long connection, int op, long bytes, long durationNs) {
        long key = connection << 8 | op;
        int slot = slot(key);
        if (keys[slot] == 0) {
            if (2 * (size + 1) > keys.length) {
                grow();
                slot = slot(key);
            }
            keys[slot] = key;
            size++;
        }
        int v = slot * FIELDS;
        values[v]++;
        values[v + 1] += bytes;
        values[v + 2] += durationNs;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Hands every sum to {@code to}, then empties the table (keeping its capacity for the next interval). */
    void drain(Visitor to) {
        for (int slot = 0; slot < keys.length; slot++) {
            long key = keys[slot];
            if (key != 0) {
                int v = slot * FIELDS;
                to.sum(key >>> 8, (int) (key & 0xFF), values[v], values[v + 1], values[v + 2]);
            }
        }
        Arrays.fill(keys, 0);
        Arrays.fill(values, 0);
        size = 0;
    }

    interface Visitor {
        void sum(long connection, int op, long operations, long bytes, long durationNs);
    }

    /** The key's slot, or the free slot where it goes: linear probing from a multiplicative hash. */
    private int slot(long key) {
        int mask = keys.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[keys.length * FIELDS];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                System.arraycopy(oldValues, i * FIELDS, values, slot * FIELDS, FIELDS);
            }
        }
    }
}
