package dev.netprof.event;

/**
 * How a TLS handshake ended when it neither finished nor failed on an alert: the JDK tells nobody, so the TLS recorder
 * names the close that cut it short, and the renderer, which sees the connection's whole life, names the peer when
 * the connection had reached its end of stream by then. An application closes its engine once its peer has hung up
 * (Netty closes the outbound side first): the peer, not this side, ended the handshake.
 */
public final class HandshakeEnds {
    public static final String CLOSED_HERE = "closed by this side before the handshake finished";
    public static final String CANCELED_BY_PEER = "canceled by the peer before the handshake finished";
    public static final String INBOUND_CLOSED = "inbound closed before the handshake finished";
    public static final String PEER_CLOSED = "the peer closed the connection before the handshake finished, without an "
        + "alert";

    /** {@code error} as it reads once the connection is known to have reached its end of stream before it. */
    public static String afterEndOfStream(String error) {
        for (String close : new String[] {CLOSED_HERE, INBOUND_CLOSED}) {
            if (error != null && error.startsWith(close)) {
                return PEER_CLOSED + error.substring(close.length());
            }
        }
        return error;
    }

    private HandshakeEnds() {
    }
}
