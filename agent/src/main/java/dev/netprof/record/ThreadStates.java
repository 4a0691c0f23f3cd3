package dev.netprof.record;

/**
 * Creates the per-thread state behind {@link Recorder}'s buffers.
 *
 * <p>On JDK 21+ the state is carrier-local ({@code jdk.internal.misc.CarrierThreadLocal}, exported to netprof's
 * bootstrap module by the agent): a virtual thread writes into its carrier's buffer, so a million virtual threads
 * need no more buffers than there are carriers, and each event carries the carrier's OS thread id, which is what
 * native samples report. This is safe because nothing between looking up the state and publishing the record can
 * unmount a virtual thread: no blocking, no monitors, no I/O. Without that class (JDK 17) it is a plain ThreadLocal.
 */
final class ThreadStates {
    private static final Class<?> VIRTUAL = classOrNull("java.lang.VirtualThread");

    @SuppressWarnings("unchecked")
    static ThreadLocal<Recorder.ThreadState> newThreadLocal() {
        try {
            Class<?> carrierLocal = Class.forName("jdk.internal.misc.CarrierThreadLocal");
            return (ThreadLocal<Recorder.ThreadState>) carrierLocal.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new ThreadLocal<>();
        }
    }

    /**
     * State for the thread running now (the carrier, when a virtual thread runs on one). A carrier's state has no
     * owner to watch: its buffer lives as long as the carrier does.
     */
    static Recorder.ThreadState create() {
        Thread t = Thread.currentThread();
        boolean virtual = VIRTUAL != null && VIRTUAL.isInstance(t);
        return new Recorder.ThreadState(virtual ? null : t, Recorder.osTid());
    }

    /** Names the thread in {@code c}'s log, once per recording; a virtual thread's events carry their own ids. */
    static void define(Capture c, Recorder.ThreadState ts) {
        if (ts.owner != null) {
            c.catalog.add(new Catalog.ThreadInfo(ts.owner.getId(), ts.osTid, ts.owner.getName()));
        }
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private ThreadStates() {
    }
}
