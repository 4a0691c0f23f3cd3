package dev.netprof.event;

/** Which JDK socket API an event came through. The numbers are written into events.nprof. */
public final class Api {
    /** {@code java.nio.channels.SocketChannel} (and its socket adaptor). */
    public static final int NIO = 1;
    /** {@code java.net.Socket} / {@code ServerSocket}, through {@code sun.nio.ch.NioSocketImpl}. */
    public static final int SOCKET = 2;
    /** {@code java.nio.channels.DatagramChannel} and {@code java.net.DatagramSocket}. */
    public static final int DATAGRAM = 3;
    /**
     * Not a socket: an SSLSocket or SSLEngine standing for the TCP connection under it, so its plaintext can be
     * counted with one lookup. Never a connection or a leak of its own.
     */
    public static final int TLS_ALIAS = 4;

    /** A connection first seen mid-life (opened before an attach): who opened it is not known. */
    public static final int ROLE_UNKNOWN = 0;
    public static final int ROLE_CLIENT = 1;
    public static final int ROLE_SERVER = 2;

    public static String name(int api) {
        switch (api) {
            case NIO: return "nio";
            case SOCKET: return "socket";
            case DATAGRAM: return "datagram";
            default: return "api-" + api;
        }
    }

    public static String transport(int api) {
        return api == DATAGRAM ? "udp" : "tcp";
    }

    public static String role(int role) {
        return role == ROLE_SERVER ? "server" : role == ROLE_CLIENT ? "client" : "unknown";
    }

    private Api() {
    }
}
