package dev.netprof.record;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Captures the calling Java stack and interns it: each distinct stack is defined in the log once and events refer
 * to it by id. Frames read {@code pkg.Class.method:line}, innermost first, at most {@link #MAX_DEPTH}; netprof's own
 * frames are left out, so the first frame is the instrumented JDK method.
 *
 * <p>The stack is a {@code Throwable}'s: the JVM fills it natively and resolves every frame's names and line in one
 * native call. {@code StackWalker} does the same work in Java, one reflective constructor call per frame on JDK 25,
 * and captures are rare (see {@link StackSampling}): they run cold, mostly in the interpreter. Measured in a fresh
 * JVM, 50 captures a second with caches flushed between them, median per capture 40 frames deep: JDK 17 112 µs
 * walking, 63 µs with a {@code Throwable}; JDK 25 137 µs against 47 µs; 200 frames deep (all of them resolved, where
 * the walk stopped at 64) JDK 17 104 against 77 µs, JDK 25 165 against 84 µs. On the NIO benchmark in its steady
 * state (async-profiler, two 8 s windows each) captures took 0.26% of the CPU walking and 0.18% now on JDK 17, 0.30%
 * and 0.22% on JDK 25. A stack is looked up by its frames' class, method and line, which is what it prints as, so
 * two stacks are one exactly when they read the same.
 */
final class Stacks {
    static final int MAX_DEPTH = 64;
    static final int MAX_STACKS = 1 << 16;

    private static final String OWN_PACKAGE = Stacks.class.getPackageName() + ".";

    private final ConcurrentHashMap<Key, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);
    private final Catalog catalog;

    Stacks(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The id of the current thread's stack, or 0 when the table is full. */
    int capture() {
        Key key = new Key(new Throwable().getStackTrace());
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
