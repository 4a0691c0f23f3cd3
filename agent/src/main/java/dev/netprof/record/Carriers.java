package dev.netprof.record;

import static dev.netprof.record.JdkInternals.field;
import static dev.netprof.record.JdkInternals.type;

import java.lang.invoke.VarHandle;
import java.net.Socket;

/**
 * Finds the TCP connection under whatever a higher layer holds: a SocketChannel (netprof's key itself), a Socket
 * (its SocketImpl, through a SOCKS delegate, or a SocketChannel's adaptor's channel), an SSLSocket (layered over
 * another Socket, or a Socket itself), or an SSLEngine the JDK HttpClient tied to a channel. java.net and
 * sun.security.ssl are opened to netprof's bootstrap module only, for these handles.
 */
final class Carriers {
    private static final VarHandle SELF = field("sun.security.ssl.BaseSSLSocketImpl", "self");
    private static final VarHandle SOCKET_IMPL = field("java.net.Socket", "impl");
    private static final VarHandle DELEGATE = field("java.net.DelegatingSocketImpl", "delegate");
    private static final Class<?> DELEGATING = type("java.net.DelegatingSocketImpl");
    private static final Class<?> SSL_SOCKET = type("sun.security.ssl.BaseSSLSocketImpl");
    private static final Class<?> SOCKET_ADAPTOR = type("sun.nio.ch.SocketAdaptor");

    /** The connection id under {@code carrier}, or 0 when netprof does not know one. */
    static long connectionOf(Capture c, Object carrier) {
        if (carrier == null) {
            return 0;
        }
        Connections.Entry known = c.connections.find(carrier);
        if (known != null) {
            return known.id == Connections.IGNORED ? 0 : known.id;
        }
        if (!(carrier instanceof Socket) || SOCKET_IMPL == null) {
            return 0;
        }
        // A layered SSLSocket runs over another Socket; an unlayered one is its own (self == this).
        Socket socket = (Socket) (SELF != null && SSL_SOCKET.isInstance(carrier) ? SELF.get(carrier) : carrier);
        // A SocketChannel's socket adaptor has a placeholder SocketImpl: the channel is the connection.
        Object key = SOCKET_ADAPTOR != null && SOCKET_ADAPTOR.isInstance(socket) ? socket.getChannel()
            : SOCKET_IMPL.get(socket);
        if (key != null && DELEGATE != null && DELEGATING.isInstance(key)) {
            key = DELEGATE.get(key); // SocksSocketImpl delegates to the platform NioSocketImpl
        }
        Connections.Entry e = key != null ? c.connections.find(key) : null;
        return e == null || e.id == Connections.IGNORED ? 0 : e.id;
    }

    private Carriers() {
    }
}
