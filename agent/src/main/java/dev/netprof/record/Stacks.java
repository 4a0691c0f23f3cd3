package dev.netprof.record;

import java.lang.StackWalker.StackFrame;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Captures the calling Java stack and interns it: each distinct stack is defined in the log once and events refer
 * to it by id. Frames read {@code pkg.Class.method:line}, innermost first; netprof's own frames are left out, so
 * the first frame is the instrumented JDK method.
 *
 * <p>A stack is looked up by its frames' class name, method name and bytecode index, which the walk hands over
 * without resolving anything; only a stack seen for the first time has its line numbers resolved and its frames
 * written out. Captures are rare (see {@link StackSampling}) and each runs with cold caches (on a ping-pong 15-90 µs
 * paced at 50 a second, on HttpClient's deep stacks ~120 µs at 10, against ~3 µs back to back), so what a capture
 * touches is what it costs: naming every frame of every capture cost a loopback ping-pong 1.4% of its throughput,
 * the lookup about 0.2%. Two frames that share class, method name and index share a line, except two overloads of
 * one method entered by reflection at the same index: the rare stack that could be mistaken for another.
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
        return WALKER.walk(this::intern);
    }

    private int intern(Stream<StackFrame> walk) {
        StackFrame[] frames = new StackFrame[MAX_DEPTH];
        int depth = 0;
        for (Iterator<StackFrame> it = walk.iterator(); it.hasNext() && depth < MAX_DEPTH; ) {
            StackFrame f = it.next();
            if (!f.getClassName().startsWith(OWN_PACKAGE)) {
                frames[depth++] = f;
            }
        }
        Key key = new Key(frames, depth);
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
            String[] named = new String[depth];
            for (int i = 0; i < depth; i++) {
                StackFrame f = frames[i];
                named[i] = f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber();
            }
            catalog.add(new Catalog.StackInfo(id, named));
        }
        return id;
    }

    /** A stack as the walk gives it: class name, method name and bytecode index per frame; holds no frame. */
    private static final class Key {
        final String[] names;
        final int[] indexes;
        final int hash;

        Key(StackFrame[] frames, int depth) {
            names = new String[2 * depth];
            indexes = new int[depth];
            int h = depth;
            for (int i = 0; i < depth; i++) {
                StackFrame f = frames[i];
                String cls = f.getClassName();
                String method = f.getMethodName();
                int bci = f.getByteCodeIndex();
                names[2 * i] = cls;
                names[2 * i + 1] = method;
                indexes[i] = bci;
                h = 31 * (31 * (31 * h + cls.hashCode()) + method.hashCode()) + bci;
            }
            hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(indexes, ((Key) o).indexes)
                && Arrays.equals(names, ((Key) o).names);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
