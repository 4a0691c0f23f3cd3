package dev.netprof.it.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a workload itself counted: per connection side (or UDP flow), the bytes it read and wrote, and how many
 * datagrams. Written as JSON lines for the test to compare with netprof's summary.json.
 */
public final class Truth {
    /** One side of a TCP connection, or one (local socket, peer) UDP flow. */
    public static final class Side {
        final String transport, role, api, local, remote;
        public final AtomicLong read = new AtomicLong();
        public final AtomicLong written = new AtomicLong();
        public final AtomicLong datagramsIn = new AtomicLong();
        public final AtomicLong datagramsOut = new AtomicLong();

        Side(String transport, String role, String api, String local, String remote) {
            this.transport = transport;
            this.role = role;
            this.api = api;
            this.local = local;
            this.remote = remote;
        }
    }

    private final List<Side> sides = new ArrayList<>();

    public synchronized Side tcp(String role, String api, SocketAddress local, SocketAddress remote) {
        Side s = new Side("tcp", role, api, format(local), format(remote));
        sides.add(s);
        return s;
    }

    public synchronized Side udp(String role, SocketAddress local, SocketAddress remote) {
        Side s = new Side("udp", role, "datagram", format(local), format(remote));
        sides.add(s);
        return s;
    }

    public synchronized void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Side s : sides) {
            out.append(String.format("{\"transport\":\"%s\",\"role\":\"%s\",\"api\":\"%s\",\"local\":\"%s\","
                    + "\"remote\":\"%s\",\"read\":%d,\"written\":%d,\"datagramsIn\":%d,\"datagramsOut\":%d}%n",
                s.transport, s.role, s.api, s.local, s.remote, s.read.get(), s.written.get(), s.datagramsIn.get(),
                s.datagramsOut.get()));
        }
        Files.writeString(file, out);
    }

    /** {@code <local> <remote>}, each as {@link #format} writes it: how truth lines name a connection or flow. */
    public static String where(SocketAddress local, SocketAddress remote) {
        return format(local) + " " + format(remote);
    }

    /** The same {@code host:port} / {@code [v6]:port} form as summary.json. */
    public static String format(SocketAddress a) {
        InetSocketAddress isa = (InetSocketAddress) a;
        String host = isa.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
    }
}
