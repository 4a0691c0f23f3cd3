package dev.netprof.record;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Captures the calling Java stack and interns it: each distinct stack is defined in the log once and events refer
 * to it by id. Frames read {@code pkg.Class.method:line}, innermost first; netprof's own frames are left out, so
 * the first frame is the instrumented JDK method.
 */
final class Stacks {
    static final int MAX_DEPTH = 64;
    static final int MAX_STACKS = 1 << 16;

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String OWN_PACKAGE = Stacks.class.getPackageName() + ".";

    private final ConcurrentHashMap<Key, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);
    private final Catalog catalog;

    Stacks(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The id of the current thread's stack, or 0 when the table is full. */
    int capture() {
        List<String> frames = WALKER.walk(s -> s
            .filter(f -> !f.getClassName().startsWith(OWN_PACKAGE))
            .limit(MAX_DEPTH)
            .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
            .collect(Collectors.toList()));
        Key key = new Key(frames.toArray(new String[0]));
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
            catalog.add(new Catalog.StackInfo(id, key.frames));
        }
        return id;
    }

    private static final class Key {
        final String[] frames;
        final int hash;

        Key(String[] frames) {
            this.frames = frames;
            this.hash = Arrays.hashCode(frames);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(frames, ((Key) o).frames);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
