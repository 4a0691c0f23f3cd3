package dev.netprof.record;

import static dev.netprof.record.TlsFields.ALPN;
import static dev.netprof.record.TlsFields.ALPN_OFFERED;
import static dev.netprof.record.TlsFields.BROKEN;
import static dev.netprof.record.TlsFields.CLIENT_MODE;
import static dev.netprof.record.TlsFields.CLOSE_NOTIFIED;
import static dev.netprof.record.TlsFields.CLOSE_REASON;
import static dev.netprof.record.TlsFields.CONFIG;
import static dev.netprof.record.TlsFields.CON_CONTEXT;
import static dev.netprof.record.TlsFields.HANDSHAKE;
import static dev.netprof.record.TlsFields.NEGOTIATED;
import static dev.netprof.record.TlsFields.OUTPUT;
import static dev.netprof.record.TlsFields.OUTPUT_CLOSED;
import static dev.netprof.record.TlsFields.PEER_CANCELED;
import static dev.netprof.record.TlsFields.RESUMPTION;
import static dev.netprof.record.TlsFields.SERVER_NAMES;
import static dev.netprof.record.TlsFields.SESSION;
import static dev.netprof.record.TlsFields.TRANSPORT;
import static dev.netprof.record.TlsFields.TUBE_CHANNEL;

import dev.netprof.event.Api;
import dev.netprof.event.HandshakeEnds;
import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

/**
 * TLS, seen from the JDK's sun.security.ssl: each handshake (both roles, SSLSocket and SSLEngine, initial and
 * renegotiated) from the moment its handshake context is being built to {@code TransportContext.finishHandshake},
 * {@code fatal} or a close of either direction before it finished, and the plaintext the application reads and
 * writes per connection. A handshake that has done none of these when the recording stops (still in progress, or on
 * an SSLEngine the application dropped without closing it) is not recorded: it did not end in the recording. A TLS 1.3
 * client's finished handshake is recorded once its server has answered ({@link UnansweredHandshakes}).
 *
 * <p>The JDK keeps what a record needs in package-private fields of {@code TransportContext}; the agent opens
 * sun.security.ssl to netprof's bootstrap module only, and {@link TlsFields} reads them. Public getters are avoided:
 * SSLSocketImpl's take its socket lock while the handshake holds the handshake lock. A failure is recorded from
 * {@code fatal} itself, so it is seen even when the application swallows the exception.
 */
public final class TlsRecorder {
    /** A handshake in progress: when and where it started. Keyed weakly by its TransportContext. */
    private static final class Started {
        final long startNs = FastClock.nanoTime();
        final boolean renegotiation;
        /** The connection the starting thread last used: a guess for an SSLEngine netprof cannot tie to a channel. */
        final long lastConnection;
        /** What an SSLSocket's startHandshake() last threw that left this handshake open (a read timeout). */
        volatile String leftOpenBy;

        Started(boolean renegotiation, long lastConnection) {
            this.renegotiation = renegotiation;
            this.lastConnection = lastConnection;
        }
    }

    private static final WeakIdentityMap<Started> STARTED = new WeakIdentityMap<>();
    private static final UnansweredHandshakes UNANSWERED = new UnansweredHandshakes();

    /** A Client- or ServerHandshakeContext is being built on {@code tc}: a handshake begins. */
    public static void started(Object tc) {
        Capture c = Recorder.current();
        if (c == null || tc == null) {
            return;
        }
        STARTED.put(tc, new Started(NEGOTIATED != null && (boolean) NEGOTIATED.get(tc), Recorder.lastConnection()));
    }

    /** At finishHandshake's entry, while the handshake context is still there: was this a resumption? */
    public static boolean resuming(Object tc) {
        Object hc = HANDSHAKE == null ? null : HANDSHAKE.get(tc);
        return hc != null && RESUMPTION != null && (boolean) RESUMPTION.get(hc);
    }

    /**
     * finishHandshake returned: the handshake succeeded, as far as this side can tell. A TLS 1.3 client's is written
     * once the server has answered (see {@link UnansweredHandshakes}); its duration still ends here.
     */
    public static void finished(Object tc, boolean resumed) {
        long end = FastClock.nanoTime();
        Capture c = Recorder.current();
        Started s = STARTED.remove(tc);
        if (c == null || s == null) {
            return;
        }
        ExtendedSSLSession session = SESSION == null ? null : (ExtendedSSLSession) SESSION.get(tc);
        Catalog.TlsInfo info = describe(c, tc, s, end, session, resumed, true, null);
        if (info.role() == Api.ROLE_CLIENT && "TLSv1.3".equals(info.protocol())) {
            UNANSWERED.hold(tc, info);
            for (Catalog.TlsInfo dropped; (dropped = UNANSWERED.takeCollected()) != null; ) {
                write(c, dropped);
            }
        } else {
            write(c, info);
        }
    }

    /** At the entry of the JDK's decode of a received record: is the TLS 1.3 handshake on {@code tc} unanswered? */
    public static boolean unanswered(Object tc) {
        return tc != null && UNANSWERED.holds(tc);
    }

    /**
     * Writes, as ok, the TLS 1.3 client handshake on {@code tc} that waits for its server's answer: the JDK decoded a
     * record from the server without a fatal alert in it (only for a handshake unanswered at the decode's entry: the
     * decode of the server's Finished is where the client finishes), or {@code tc} closes before any came.
     */
    public static void notRejected(Object tc) {
        Capture c = Recorder.current();
        Catalog.TlsInfo info = c == null ? null : UNANSWERED.take(tc);
        if (info != null) {
            write(c, info);
        }
    }

    /** The recording ends: handshakes still waiting for their server's answer had none that said no. */
    public static void recordingEnds() {
        Capture c = Recorder.current();
        for (Catalog.TlsInfo info; c != null && (info = UNANSWERED.takeAny()) != null; ) {
            write(c, info);
        }
    }

    /** TransportContext.fatal: a handshake (or an established connection) failed. Seen even if swallowed. */
    public static void failed(Object tc, Object alert, String diagnostic, boolean received, Throwable cause) {
        long end = FastClock.nanoTime();
        Capture c = Recorder.current();
        if (c == null || CLOSE_REASON != null && CLOSE_REASON.get(tc) != null) {
            return; // already failed: this call only rethrows
        }
        String error = (received ? "received fatal alert: " : alertSent(tc, cause) ? "fatal alert sent: " : "failed: ")
            + String.valueOf(alert)
            .toLowerCase() + (diagnostic != null ? " (" + diagnostic + ")" : "")
            + (cause != null && cause.getMessage() != null && !cause.getMessage().equals(diagnostic)
            ? ": " + Recorder.describe(cause) : "");
        Catalog.TlsInfo unanswered = UNANSWERED.take(tc);
        if (unanswered != null) {
            // The server's answer to a finished TLS 1.3 client handshake: an alert it sent rejects the handshake; a
            // failure of this side's own (a write to a server that had gone) is the connection's, not the handshake's.
            write(c, received ? unanswered.rejected(error) : unanswered);
            return;
        }
        Started s = STARTED.remove(tc);
        if (s == null) {
            return; // not during a handshake: the socket layer records the failure of the read or write
        }
        record(c, tc, s, end, null, false, false, error);
    }

    /**
     * Whether the fatal about to run sends its alert to a peer that is still there: by the JDK's own test, none goes
     * out before a handshake context exists (a client with no usable protocol), after the outbound closed or once the
     * transport broke; and a peer that closed or reset the connection (an EOFException or SocketException as the
     * cause, "Remote host terminated the handshake") reads none. When netprof cannot tell, it claims none.
     */
    private static boolean alertSent(Object tc, Throwable cause) {
        Object out = OUTPUT == null ? null : OUTPUT.get(tc);
        if (out == null || OUTPUT_CLOSED == null || BROKEN == null || NEGOTIATED == null || HANDSHAKE == null
            || (boolean) OUTPUT_CLOSED.get(out) || (boolean) BROKEN.get(tc)
            || !(boolean) NEGOTIATED.get(tc) && HANDSHAKE.get(tc) == null) {
            return false;
        }
        // A few levels of causes: the JDK wraps the transport's exception once or twice in I/O exceptions; a cycle
        // must not loop, and a network error under a certificate check (an unreachable OCSP responder) is not the
        // peer's, so the walk stops at the first cause that is no I/O exception.
        Throwable t = cause;
        for (int depth = 0; t instanceof IOException && depth < 4; depth++, t = t.getCause()) {
            if (t instanceof EOFException || t instanceof SocketException) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code tc} closes its inbound or outbound side, or the application closes its SSLSocket: a handshake still in
     * progress can no longer finish, and no fatal follows when the peer canceled it (user_canceled, then
     * close_notify) or the application closed the engine (its inbound at the peer's end of stream, as the JDK
     * HttpClient does, or its outbound) or the socket (whose close reaches neither of the context's closes on JDK
     * 25). A close_notify alone mid-handshake does end in fatal, which records it.
     */
    public static void closed(Object tc, boolean inbound) {
        long end = FastClock.nanoTime();
        Capture c = Recorder.current();
        if (c == null || tc == null) {
            return;
        }
        notRejected(tc);
        boolean peerCanceled = PEER_CANCELED != null && (boolean) PEER_CANCELED.get(tc);
        if (inbound && !peerCanceled && CLOSE_NOTIFIED != null && (boolean) CLOSE_NOTIFIED.get(tc)) {
            return;
        }
        Started s = STARTED.remove(tc);
        if (s != null) {
            String reason = !inbound ? HandshakeEnds.CLOSED_HERE
                : peerCanceled ? HandshakeEnds.CANCELED_BY_PEER : HandshakeEnds.INBOUND_CLOSED;
            record(c, tc, s, end, null, false, false,
                s.leftOpenBy == null ? reason : reason + ", after startHandshake threw " + s.leftOpenBy);
        }
    }

    /**
     * An SSLSocket's startHandshake threw without going through fatal. A timeout (an {@link InterruptedIOException})
     * of the public {@code startHandshake()} leaves the handshake open, as the JDK means it to: the application may
     * call it again, and the handshake goes on from where it was. So that handshake is ended by what ends it next
     * (finishHandshake, fatal, a close, which then names the timeout), not here. Anything else ends it here.
     */
    public static void socketHandshakeThrew(Object tc, Throwable thrown) {
        long end = FastClock.nanoTime();
        Capture c = Recorder.current();
        if (c == null || tc == null) {
            return;
        }
        if (thrown instanceof InterruptedIOException) {
            Started open = STARTED.get(tc);
            if (open != null) {
                open.leftOpenBy = Recorder.describe(thrown);
            }
            return;
        }
        Started s = STARTED.remove(tc);
        if (s != null) {
            record(c, tc, s, end, null, false, false, Recorder.describe(thrown));
        }
    }

    /**
     * The JDK HttpClient is putting an SSLEngine over a SocketTube: the engine speaks for that channel's connection.
     * Called before the engine has done anything, so no guess by {@link #unwrapped} can come first.
     */
    public static void engineOverTube(Object engine, Object tube) {
        Capture c = Recorder.current();
        if (c == null || TUBE_CHANNEL == null || engine == null || tube == null) {
            return;
        }
        Object channel = TUBE_CHANNEL.get(tube);
        Connections.Entry e = channel == null ? null : c.connections.find(channel);
        if (e != null && e.id != Connections.IGNORED) {
            c.connections.add(engine, e.id, Api.TLS_ALIAS);
        }
    }

    /**
     * A TLS 1.3 KeyUpdate was sent or received: {@code hc} is the PostHandshakeContext of the KeyUpdate producer or
     * consumer. Counted per connection; TLS 1.2 renegotiations are handshakes of their own instead.
     */
    public static void keyUpdate(Object hc) {
        Object tc = hc == null || CON_CONTEXT == null ? null : CON_CONTEXT.get(hc);
        if (tc != null && TRANSPORT != null) {
            count(Op.TLS_KEY_UPDATE, TRANSPORT.get(tc), 1);
        }
    }

    /**
     * An SSLEngine's unwrap consumed {@code consumed} bytes of ciphertext and produced {@code produced} of plaintext.
     * The first that consumed any ties an engine netprof could not tie to a channel to the connection its thread last
     * used: an application unwraps what it has just read, and a handshake's first unwrap (the peer's hello) comes
     * before any of its work can move to another thread (delegated tasks on an executor) or wait behind other
     * connections' (an event loop resuming it later).
     */
    public static void unwrapped(Object engine, int consumed, int produced) {
        Capture c = Recorder.current();
        if (c == null || engine == null) {
            return;
        }
        Connections.Entry e = c.connections.find(engine);
        if (e == null && consumed > 0) {
            long id = Recorder.lastConnection();
            if (id > 0) {
                e = c.connections.add(engine, id, Api.TLS_ALIAS);
            }
        }
        if (e != null && produced > 0) {
            countOn(c, Op.TLS_READ, e.id, produced);
        }
    }

    /**
     * {@code n} of a count on the connection under an SSLSocket or SSLEngine: plaintext bytes the application read
     * ({@link Op#TLS_READ}) or wrote ({@link Op#TLS_WRITE}), or KeyUpdate messages.
     */
    public static void count(int op, Object transport, long n) {
        Capture c = Recorder.current();
        if (c == null || n <= 0 || transport == null) {
            return;
        }
        Connections.Entry e = c.connections.find(transport);
        countOn(c, op, e != null ? e.id : alias(c, transport), n);
    }

    private static void countOn(Capture c, int op, long id, long n) {
        if (id > 0) {
            // No clock read: a count has no time of its own, and the flusher only sums it per connection.
            Recorder.emit(c, op, Outcome.OK, 0, 0, 0, id, n, 0);
        }
    }

    /** Finds the TCP connection under an SSLSocket and remembers it under the SSLSocket too. */
    private static long alias(Capture c, Object transport) {
        long id = Carriers.connectionOf(c, transport);
        if (id > 0) {
            c.connections.add(transport, id, Api.TLS_ALIAS);
        }
        return id;
    }

    private static void record(Capture c, Object tc, Started s, long end, ExtendedSSLSession session, boolean resumed,
                               boolean ok, String error) {
        write(c, describe(c, tc, s, end, session, resumed, ok, error));
    }

    /** Writes a handshake's record, on the thread that ran the handshake even if written later, by another. */
    private static void write(Capture c, Catalog.TlsInfo info) {
        c.catalog.add(info);
        int ref = c.catalog.string(info.ok() ? "tls " + (info.protocol() == null ? "" : info.protocol()) : info.error());
        Recorder.emitFor(c, info.thread(), Op.TLS_HANDSHAKE, info.ok() ? Outcome.OK : Outcome.ERROR, ref,
            info.startNs(), info.startNs() + info.durationNs(), info.connectionId(), 0, 0);
    }

    private static Catalog.TlsInfo describe(Capture c, Object tc, Started s, long end, ExtendedSSLSession session,
                                            boolean resumed, boolean ok, String error) {
        Object transport = TRANSPORT == null ? null : TRANSPORT.get(tc);
        Object config = CONFIG == null ? null : CONFIG.get(tc);
        boolean client = config != null && CLIENT_MODE != null && (boolean) CLIENT_MODE.get(config);
        long id = Carriers.connectionOf(c, transport);
        if (id == 0 && transport instanceof SSLEngine) {
            id = engineConnection(c, transport, s, ok);
        }
        String local = null, remote = null;
        if (transport instanceof Socket) {
            SocketAddress l = ((Socket) transport).getLocalSocketAddress();
            SocketAddress r = ((Socket) transport).getRemoteSocketAddress();
            local = Endpoints.format(l);
            remote = Endpoints.format(r);
        } else if (transport instanceof SSLEngine && ((SSLEngine) transport).getPeerHost() != null) {
            remote = ((SSLEngine) transport).getPeerHost() + ":" + ((SSLEngine) transport).getPeerPort();
        }
        String[] offered = config == null || ALPN_OFFERED == null ? new String[0] : (String[]) ALPN_OFFERED.get(config);
        String sni = null;
        String subject = null;
        long notAfter = 0;
        String protocol = null, cipher = null;
        if (session != null) {
            protocol = session.getProtocol();
            cipher = session.getCipherSuite();
            sni = hostName(session.getRequestedServerNames());
            try {
                Certificate[] peer = session.getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate) {
                    X509Certificate x = (X509Certificate) peer[0];
                    subject = x.getSubjectX500Principal().getName();
                    notAfter = x.getNotAfter().getTime();
                }
            } catch (Exception noPeerCertificate) {
                // a server without client authentication has none
            }
        }
        if (sni == null && config != null && SERVER_NAMES != null) {
            @SuppressWarnings("unchecked")
            List<SNIServerName> names = (List<SNIServerName>) SERVER_NAMES.get(config);
            sni = hostName(names);
        }
        String alpn = ok && ALPN != null ? (String) ALPN.get(tc) : null;
        return new Catalog.TlsInfo(id, local, remote, client ? Api.ROLE_CLIENT : Api.ROLE_SERVER, protocol,
            cipher, offered == null ? new String[0] : offered.clone(), alpn == null || alpn.isEmpty() ? null : alpn, sni,
            subject, notAfter, resumed, s.renegotiation, s.startNs, end - s.startNs, ok, error,
            Thread.currentThread().getId());
    }

    /**
     * The connection of an SSLEngine netprof could not tie to a channel nor by an unwrap ({@link #unwrapped}): one
     * whose handshake ended before it unwrapped anything, or was unwrapped on a thread that had used no connection.
     * Guessed from what the threads that ran its handshake last used. A handshake that {@code finished} did so on the thread that has just read the peer's last
     * flight from the engine's connection; its start may not tell, as a client that opened several connections before
     * their handshakes last used the newest. A handshake that failed or was closed may end on any thread (an event
     * loop's handshake timeout), while its start followed the read of the peer's hello or the connect. Either way the
     * other guess stands in when a thread has used no connection (a delegated task on an executor). The engine is
     * tied to it from then on, for its plaintext.
     */
    private static long engineConnection(Capture c, Object engine, Started s, boolean finished) {
        long ending = Recorder.lastConnection();
        long started = s.lastConnection;
        long id = finished ? (ending > 0 ? ending : started) : (started > 0 ? started : ending);
        if (id <= 0) {
            return 0;
        }
        c.connections.add(engine, id, Api.TLS_ALIAS);
        return id;
    }

    private static String hostName(List<SNIServerName> names) {
        if (names != null) {
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName) {
                    return ((SNIHostName) n).getAsciiName();
                }
            }
        }
        return null;
    }

    private TlsRecorder() {
    }
}
