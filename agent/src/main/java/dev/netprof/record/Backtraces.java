package dev.netprof.record;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Identifies a {@code Throwable}'s stack from what the JVM filled it with, before any frame is resolved to a
 * {@code StackTraceElement}. Filling is a native walk that stores each frame's class, method number and bytecode
 * index (~1 µs for 40 frames, warm); resolving them is what costs: names interned, line tables searched, an object
 * per frame (~3.5 µs more for those 40 frames, on JDK 17 and 25 alike). A stack seen before is known by this
 * fingerprint alone, so {@link Stacks} resolves each distinct stack once.
 *
 * <p>The fill is HotSpot's private backtrace: chunks of 32 frames, {@code [short[] method numbers, int[] bci << 16 |
 * method version, Object[] classes, ...]}, with the next chunk at index 4 on JDK 17 and 5 on JDK 25 (4 holds
 * continuations there). It is read only when a self-check at class initialisation finds the next chunk's index and
 * the frames name the same classes as {@code getStackTrace()}; otherwise (another JVM, a layout change, or java.lang
 * not opened to netprof) {@link #fingerprint} returns null and every capture resolves.
 */
public final class Backtraces {
    private static final VarHandle BACKTRACE = JdkInternals.field("java.lang.Throwable", "backtrace");
    private static final VarHandle DEPTH = JdkInternals.field("java.lang.Throwable", "depth");
    private static final int METHODS = 0;
    private static final int BCIS = 1;
    private static final int CLASSES = 2;
    /** Where a chunk holds the next one; 0 when this JVM's backtraces do not read as expected. */
    private static final int NEXT = BACKTRACE != null && DEPTH != null ? checkedNextChunkIndex() : 0;
    public static final boolean READABLE = NEXT > 0;

    /**
     * A stack's frames as (class identity hash, method number, bci and method version), innermost first. Classes are
     * held by identity hash, not by reference: a cached fingerprint must not keep an undeployed application's
     * classes loaded. Two classes whose hashes collide would also need the same method numbers and bcis in every
     * frame to be confused.
     */
    static final class Fingerprint {
        private final int[] words;
        private final int hash;

        private Fingerprint(int[] words) {
            this.words = words;
            this.hash = Arrays.hashCode(words);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fingerprint && Arrays.equals(words, ((Fingerprint) o).words);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The fingerprint of {@code t}'s frames, innermost first: all of them, or in a stack deeper than twice {@code
     * maxFrames}, up to the {@code maxFrames}-th frame whose class is not in {@code skippedPackage}. Frames a {@code
     * Stacks.Key} leaves out are part of it, so it is finer than the key, never coarser. Null when the backtrace
     * cannot be read.
     */
    static Fingerprint fingerprint(Throwable t, String skippedPackage, int maxFrames) {
        if (!READABLE) {
            return null;
        }
        try {
            int depth = (int) DEPTH.get(t);
            // A stack up to twice the limit is taken whole, which covers whatever a key keeps without a class name
            // looked up per frame (on a connection-per-request client, those lookups were a seventh of the capture).
            boolean whole = depth <= 2 * maxFrames;
            Object[] chunk = (Object[]) BACKTRACE.get(t);
            int[] words = new int[3 * Math.min(depth, 2 * maxFrames)];
            int n = 0;
            int kept = 0;
            for (int frame = 0; frame < depth && kept < maxFrames; chunk = (Object[]) chunk[NEXT]) {
                short[] methods = (short[]) chunk[METHODS];
                int[] bcis = (int[]) chunk[BCIS];
                Object[] classes = (Object[]) chunk[CLASSES];
                for (int j = 0; j < classes.length && frame < depth && kept < maxFrames; j++, frame++) {
                    Class<?> c = (Class<?>) classes[j];
                    if (!whole && !c.getName().startsWith(skippedPackage)) {
                        kept++;
                    }
                    if (n == words.length) {
                        words = Arrays.copyOf(words, 2 * words.length);
                    }
                    words[n++] = System.identityHashCode(c);
                    words[n++] = methods[j];
                    words[n++] = bcis[j];
                }
            }
            return new Fingerprint(n == words.length ? words : Arrays.copyOf(words, n));
        } catch (RuntimeException unexpectedLayout) {
            return null;
        }
    }

    /**
     * Checks the layout on a stack deeper than one chunk: the one index after the classes that holds a chunk (an
     * array starting with method numbers) is the next chunk's, and the chunks name the classes of {@code
     * getStackTrace()}, frame by frame. Returns that index, or 0 when anything reads otherwise.
     */
    private static int checkedNextChunkIndex() {
        try {
            Throwable t = deeper(40);
            StackTraceElement[] trace = t.getStackTrace();
            Object[] chunk = (Object[]) BACKTRACE.get(t);
            int depth = (int) DEPTH.get(t);
            int next = 0;
            for (int i = CLASSES + 1; i < chunk.length; i++) {
                if (chunk[i] instanceof Object[] && ((Object[]) chunk[i]).length > 0
                    && ((Object[]) chunk[i])[METHODS] instanceof short[]) {
                    next = next == 0 ? i : -1;
                }
            }
            if (next <= 0 || depth != trace.length || depth <= ((Object[]) chunk[CLASSES]).length) {
                return 0;
            }
            for (int frame = 0; frame < depth; chunk = (Object[]) chunk[next]) {
                Object[] classes = (Object[]) chunk[CLASSES];
                if (((short[]) chunk[METHODS]).length != classes.length
                    || ((int[]) chunk[BCIS]).length != classes.length) {
                    return 0;
                }
                for (int j = 0; j < classes.length && frame < depth; j++, frame++) {
                    if (!((Class<?>) classes[j]).getName().equals(trace[frame].getClassName())) {
                        return 0;
                    }
                }
            }
            return next;
        } catch (RuntimeException | LinkageError unexpectedLayout) {
            return 0;
        }
    }

    private static Throwable deeper(int frames) {
        return frames == 0 ? new Throwable() : deeper(frames - 1);
    }

    private Backtraces() {
    }
}
