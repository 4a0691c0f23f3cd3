package dev.netprof.record;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.net.InetAddress;

/**
 * Host name lookups: {@code InetAddress.getAllByName0} (which every getByName/getAllByName and every client's
 * lookup goes through) is the lookup, and {@code getAddressesFromNameService} inside it is a question to the
 * resolver; a lookup that finished without one was answered from the JVM's cache. A reverse lookup (an address's
 * name) is a lookup of its own, whose host is the address. A per-thread frame counts nested calls, so each lookup is
 * recorded once.
 */
public final class DnsRecorder {
    /** The outermost lookup of a thread in progress. */
    private static final class Frame extends OutermostCall {
        boolean askedResolver;
        boolean reverse;
    }

    private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);

    public static void lookupStarting() {
        if (Recorder.current() == null) {
            return;
        }
        Frame f = FRAME.get();
        if (f.enter()) {
            f.askedResolver = false;
            f.reverse = false;
        }
    }

    /** A name for an address: the JDK keeps no cache of these, so each asks the resolver. */
    public static void reverseLookupStarting() {
        if (Recorder.current() == null) {
            return;
        }
        Frame f = FRAME.get();
        if (f.enter()) {
            f.askedResolver = true;
            f.reverse = true;
        }
    }

    public static void resolverAsked() {
        if (Recorder.current() != null) {
            FRAME.get().askedResolver = true;
        }
    }

    public static void lookupDone(String host, Object[] addresses, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = outermostDone();
        if (c != null && host != null) {
            record(c, end, host, addresses == null ? 0 : addresses.length, thrown);
        }
    }

    /**
     * A reverse lookup returned {@code name}. The JDK answers with the address itself when no name was found (or the
     * name's own addresses do not include it), and throws nothing: that is a lookup with no answer.
     */
    public static void reverseLookupDone(InetAddress address, String name, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = outermostDone();
        if (c != null) {
            String literal = address.getHostAddress();
            record(c, end, literal, name == null || name.equals(literal) ? 0 : 1, thrown);
        }
    }

    /** A lookup ended: the recording to record it in, if it was the thread's outermost and one is running. */
    private static Capture outermostDone() {
        return FRAME.get().exit() ? Recorder.current() : null;
    }

    private static void record(Capture c, long end, String host, int addresses, Throwable thrown) {
        Frame f = FRAME.get();
        String error = thrown == null ? null : Recorder.describe(thrown);
        c.catalog.add(new Catalog.DnsInfo(host, f.startNs, end - f.startNs, addresses, !f.askedResolver, f.reverse,
            error, Thread.currentThread().getId()));
        Recorder.emit(c, Op.DNS_LOOKUP, Outcome.ofExchange(thrown), c.catalog.string(host), f.startNs, end, 0, 0,
            f.askedResolver ? c.stacks.capture() : 0);
    }

    private DnsRecorder() {
    }
}
