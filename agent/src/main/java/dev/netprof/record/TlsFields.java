package dev.netprof.record;

import static dev.netprof.record.JdkInternals.field;

import java.lang.invoke.VarHandle;

/**
 * The JDK's private TLS fields {@link TlsRecorder} reads, in a class of their own so that they are looked up at the
 * first TLS operation, not whenever TlsRecorder is first used: the stop asks it for held handshakes in every
 * recording, and in a JVM that had never used TLS, loading these classes (~25 with what they need, each instrumented
 * as it loaded and restored a moment later) and making the handles took 0.6-0.7 s of the application's CPU on a busy
 * 2-CPU machine, and closed the recording's window that much later.
 */
final class TlsFields {
    static final VarHandle TRANSPORT, CONFIG, HANDSHAKE, SESSION, ALPN, NEGOTIATED, CLOSE_REASON,
        CLOSE_NOTIFIED, PEER_CANCELED, BROKEN, OUTPUT, OUTPUT_CLOSED, RESUMPTION, CON_CONTEXT, CLIENT_MODE,
        ALPN_OFFERED, SERVER_NAMES, TUBE_CHANNEL;

    static {
        TRANSPORT = field("sun.security.ssl.TransportContext", "transport");
        CONFIG = field("sun.security.ssl.TransportContext", "sslConfig");
        HANDSHAKE = field("sun.security.ssl.TransportContext", "handshakeContext");
        SESSION = field("sun.security.ssl.TransportContext", "conSession");
        ALPN = field("sun.security.ssl.TransportContext", "applicationProtocol");
        NEGOTIATED = field("sun.security.ssl.TransportContext", "isNegotiated");
        CLOSE_REASON = field("sun.security.ssl.TransportContext", "closeReason");
        CLOSE_NOTIFIED = field("sun.security.ssl.TransportContext", "isInputCloseNotified");
        PEER_CANCELED = field("sun.security.ssl.TransportContext", "peerUserCanceled");
        BROKEN = field("sun.security.ssl.TransportContext", "isBroken");
        OUTPUT = field("sun.security.ssl.TransportContext", "outputRecord");
        OUTPUT_CLOSED = field("sun.security.ssl.OutputRecord", "isClosed");
        RESUMPTION = field("sun.security.ssl.HandshakeContext", "isResumption");
        CON_CONTEXT = field("sun.security.ssl.HandshakeContext", "conContext");
        CLIENT_MODE = field("sun.security.ssl.SSLConfiguration", "isClientMode");
        ALPN_OFFERED = field("sun.security.ssl.SSLConfiguration", "applicationProtocols");
        SERVER_NAMES = field("sun.security.ssl.SSLConfiguration", "serverNames");
        TUBE_CHANNEL = field("jdk.internal.net.http.SocketTube", "channel");
    }

    private TlsFields() {
    }
}
