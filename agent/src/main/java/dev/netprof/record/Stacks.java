package dev.netprof.record;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Captures the calling Java stack and interns it: each distinct stack is defined in the log once and events refer
 * to it by id. Frames read {@code pkg.Class.method:line}, innermost first, at most {@link #MAX_DEPTH}; netprof's own
 * frames are left out, so the first frame is the instrumented JDK method.
 *
 * <p>The stack is a {@code Throwable}'s: the JVM fills it natively. Only a stack not seen before is resolved to
 * names and lines; one seen before is found by its {@link Backtraces.Fingerprint} (~1 µs for 40 frames, warm, where
 * resolving them costs ~4.5 µs). That matters where captures are frequent: every connect and accept takes one, and a
 * client opening a connection per request (both ends in one JVM, four stacks per connection at each end then) spent
 * 22% of its CPU resolving stacks it had seen thousands of times. Captures are otherwise rare (see {@link
 * StackSampling}) and run cold: {@code StackWalker} does in Java what a {@code Throwable} does natively, one
 * reflective constructor call per frame on JDK 25, and measured in a fresh JVM (50 captures a second, caches flushed
 * between them, 40 frames deep) JDK 17 took 112 µs walking and 63 µs with a {@code Throwable}, JDK 25 137 against
 * 47 µs. A stack is interned by its frames' class, method and line, which is what it prints as, so two stacks are
 * one exactly when they read the same.
 */
final class Stacks {
    static final int MAX_DEPTH = 64;
    static final int MAX_STACKS = 1 << 16;
    /**
     * Fingerprints are finer than stacks (a bci, not a line; netprof's frames and up to 2 × MAX_DEPTH frames
     * included) and up to 1.5 KB each, so they have a bound of their own; past it, captures resolve every time.
     */
    static final int MAX_FINGERPRINTS = 1 << 12;

    private static final String OWN_PACKAGE = Stacks.class.getPackageName() + ".";

    private final ConcurrentHashMap<Key, Integer> ids = new ConcurrentHashMap<>();
    /** Per stack id, connections opened from it so far, counted up to {@link StackSampling#FULLY_STACKED_PER_SITE}. */
    private final byte[] openedFrom = new byte[MAX_STACKS + 1];
    private final ConcurrentHashMap<Backtraces.Fingerprint, Integer> byFingerprint = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);
    private final Catalog catalog;

    Stacks(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The id of the current thread's stack, or 0 when the table is full. */
    int capture() {
        Throwable here = new Throwable();
        Backtraces.Fingerprint fingerprint = Backtraces.fingerprint(here, OWN_PACKAGE, MAX_DEPTH);
        if (fingerprint != null) {
            Integer id = byFingerprint.get(fingerprint);
            if (id != null) {
                return id;
            }
        }
        int id = intern(new Key(here.getStackTrace()));
        if (fingerprint != null && id != 0 && byFingerprint.size() < MAX_FINGERPRINTS) {
            byFingerprint.putIfAbsent(fingerprint, id);
        }
        return id;
    }

    /**
     * Whether a connection opened from {@code stack} is among the first {@link StackSampling#FULLY_STACKED_PER_SITE}
     * from there (racy: a few more may be). A connection without an open stack always is.
     */
    boolean amongFirstOpenedFrom(int stack) {
        if (stack <= 0 || stack >= openedFrom.length) {
            return true;
        }
        if (openedFrom[stack] >= StackSampling.FULLY_STACKED_PER_SITE) {
            return false;
        }
        openedFrom[stack]++;
        return true;
    }

    private int intern(Key key) {
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        if (ids.size() >= MAX_STACKS) {
            return 0;
        }
        int[] created = new int[1];
        id = ids.computeIfAbsent(key, k -> created[0] = next.getAndIncrement());
        if (created[0] != 0) {
            catalog.add(new Catalog.StackInfo(id, key.frames()));
        }
        return id;
    }

    /** A stack's frames as class, method and line; holds no StackTraceElement. */
    private static final class Key {
        final String[] names;
        final int[] lines;
        final int hash;

        Key(StackTraceElement[] trace) {
            String[] n = new String[2 * MAX_DEPTH];
            int[] l = new int[MAX_DEPTH];
            int depth = 0;
            int h = 0;
            for (int i = 0; i < trace.length && depth < MAX_DEPTH; i++) {
                String cls = trace[i].getClassName();
                if (cls.startsWith(OWN_PACKAGE)) {
                    continue;
                }
                String method = trace[i].getMethodName();
                int line = trace[i].getLineNumber();
                n[2 * depth] = cls;
                n[2 * depth + 1] = method;
                l[depth] = line;
                h = 31 * (31 * (31 * h + cls.hashCode()) + method.hashCode()) + line;
                depth++;
            }
            names = Arrays.copyOf(n, 2 * depth);
            lines = Arrays.copyOf(l, depth);
            hash = h;
        }

        String[] frames() {
            String[] frames = new String[lines.length];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = names[2 * i] + "." + names[2 * i + 1] + ":" + lines[i];
            }
            return frames;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(lines, ((Key) o).lines) && Arrays.equals(names, ((Key) o).names);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
