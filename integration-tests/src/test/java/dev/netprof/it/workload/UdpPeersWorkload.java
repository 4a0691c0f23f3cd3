package dev.netprof.it.workload;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP server that hears from more peers than netprof keeps a flow each for: {@code peers} client channels send one
 * datagram each (1 to 61 bytes) to one server channel, which receives them one by one. Prints {@code server
 * host:port}, then {@code peer host:port bytes} per datagram in the order the server received them. The clients stay
 * open until the end, so no two share a port. Usage: {@code UdpPeersWorkload <peers>}.
 */
public final class UdpPeersWorkload {
    public static void main(String[] args) throws Exception {
        int peers = Integer.parseInt(args[0]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<DatagramChannel> clients = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(lo, 0))) {
            out.append("server ").append(Truth.format(server.getLocalAddress())).append('\n');
            ByteBuffer received = ByteBuffer.allocate(100);
            for (int i = 0; i < peers; i++) {
                DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
                clients.add(client);
                client.send(ByteBuffer.allocate(1 + i % 61), server.getLocalAddress());
                received.clear();
                SocketAddress from = server.receive(received);
                out.append("peer ").append(Truth.format(from)).append(' ').append(received.position()).append('\n');
            }
        } finally {
            for (DatagramChannel c : clients) {
                c.close();
            }
        }
        System.out.print(out);
    }
}
