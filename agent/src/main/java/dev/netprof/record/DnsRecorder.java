package dev.netprof.record;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;

/**
 * Host name lookups: {@code InetAddress.getAllByName0} (which every getByName/getAllByName and every client's
 * lookup goes through) is the lookup, and {@code getAddressesFromNameService} inside it is a question to the
 * resolver; a lookup that finished without one was answered from the JVM's cache. A per-thread frame counts nested
 * calls, so each lookup is recorded once.
 */
public final class DnsRecorder {
    /** The outermost lookup of a thread in progress. */
    private static final class Frame extends OutermostCall {
        boolean askedResolver;
    }

    private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);

    public static void lookupStarting() {
        if (Recorder.current() == null) {
            return;
        }
        Frame f = FRAME.get();
        if (f.enter()) {
            f.askedResolver = false;
        }
    }

    public static void resolverAsked() {
        if (Recorder.current() != null) {
            FRAME.get().askedResolver = true;
        }
    }

    public static void lookupDone(String host, Object[] addresses, Throwable thrown) {
        long end = System.nanoTime();
        Frame f = FRAME.get();
        if (!f.exit()) {
            return;
        }
        Capture c = Recorder.current();
        if (c == null || host == null) {
            return;
        }
        String error = thrown == null ? null : Recorder.describe(thrown);
        c.catalog.add(new Catalog.DnsInfo(host, f.startNs, end - f.startNs, addresses == null ? 0 : addresses.length,
            !f.askedResolver, error, Thread.currentThread().getId()));
        Recorder.emit(c, Op.DNS_LOOKUP, Outcome.ofExchange(thrown), c.catalog.string(host), f.startNs, end, 0, 0,
            f.askedResolver ? c.stacks.capture() : 0);
    }

    private DnsRecorder() {
    }
}
