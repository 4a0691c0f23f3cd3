package dev.netprof.record;

import dev.netprof.event.Api;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.SocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/**
 * Reads a socket's local and remote address, once per connection (never on the read/write path).
 *
 * <p>{@code SocketImpl} keeps the peer in protected fields with no public getter; the agent opens {@code java.net}
 * to netprof's bootstrap module only (not to the application) so these VarHandles can read them.
 */
final class Endpoints {
    private static final VarHandle ADDRESS, PORT, LOCALPORT, FD;

    static {
        VarHandle address = null, port = null, localport = null, fd = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(SocketImpl.class, MethodHandles.lookup());
            address = l.findVarHandle(SocketImpl.class, "address", InetAddress.class);
            port = l.findVarHandle(SocketImpl.class, "port", int.class);
            localport = l.findVarHandle(SocketImpl.class, "localport", int.class);
            fd = l.findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // java.net not opened to us: Socket connections are still recorded, with unknown addresses.
        }
        ADDRESS = address;
        PORT = port;
        LOCALPORT = localport;
        FD = fd;
    }

    static SocketAddress local(int api, Object socket) {
        try {
            if (api == Api.SOCKET) {
                SocketImpl impl = (SocketImpl) socket;
                InetAddress ip = (InetAddress) ((SocketOptions) impl).getOption(SocketOptions.SO_BINDADDR);
                return LOCALPORT == null || ip == null ? null : new InetSocketAddress(ip, (int) LOCALPORT.get(impl));
            }
            return ((NetworkChannel) socket).getLocalAddress();
        } catch (Exception e) {
            return null;
        }
    }

    /** A Socket's file descriptor, or null. */
    static Object descriptor(Object socketImpl) {
        return FD == null || !(socketImpl instanceof SocketImpl) ? null
            : (FileDescriptor) FD.get((SocketImpl) socketImpl);
    }

    /** A Socket whose descriptor was closed; a Socket keeps its peer's address after close. */
    static boolean isClosedSocket(Object socketImpl) {
        return descriptor(socketImpl) instanceof FileDescriptor fd && !fd.valid();
    }

    static SocketAddress remote(int api, Object socket) {
        try {
            if (api == Api.SOCKET) {
                if (ADDRESS == null) {
                    return null;
                }
                InetAddress ip = (InetAddress) ADDRESS.get((SocketImpl) socket);
                return ip == null ? null : new InetSocketAddress(ip, (int) PORT.get((SocketImpl) socket));
            }
            if (api == Api.NIO) {
                return ((SocketChannel) socket).getRemoteAddress();
            }
            return ((DatagramChannel) socket).getRemoteAddress();
        } catch (Exception e) {
            return null;
        }
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}; null for anything that is not an IP socket address. */
    static String format(SocketAddress a) {
        if (!(a instanceof InetSocketAddress)) {
            return null;
        }
        InetSocketAddress isa = (InetSocketAddress) a;
        InetAddress ip = isa.getAddress();
        String host = ip == null ? isa.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
    }

    /** The name the application asked for, when it connected by name; null when it used an address. */
    static String hostName(SocketAddress a) {
        if (!(a instanceof InetSocketAddress)) {
            return null;
        }
        InetSocketAddress isa = (InetSocketAddress) a;
        String s = isa.getHostString();
        InetAddress ip = isa.getAddress();
        return ip != null && s.equals(ip.getHostAddress()) ? null : s;
    }

    /** Unix-domain channels share SocketChannelImpl with TCP; netprof records network sockets only. */
    static boolean isNetwork(SocketAddress a) {
        return a == null || a instanceof InetSocketAddress;
    }

    private Endpoints() {
    }
}
