package dev.netprof.record;

/**
 * A thread's outermost call of an instrumented method that the JDK also calls from inside itself (a host name lookup,
 * an HttpURLConnection's getInputStream): the nesting depth and when the outermost call began, so that each is
 * recorded once. Kept per thread in a plain ThreadLocal, as a call may park a virtual thread.
 */
class OutermostCall {
    private int depth;
    long startNs;

    /** A call begins; true when it is the outermost, whose start this sets. */
    boolean enter() {
        if (depth++ != 0) {
            return false;
        }
        startNs = FastClock.nanoTime();
        return true;
    }

    /** A call ends; true when it was the outermost (not one begun before recording started, which never entered). */
    boolean exit() {
        return depth != 0 && --depth == 0;
    }
}
