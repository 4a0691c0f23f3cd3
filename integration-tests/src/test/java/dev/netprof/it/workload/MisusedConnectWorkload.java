package dev.netprof.it.workload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Connect calls that throw on a connection that is fine: {@code connect} again on a connected channel
 * (AlreadyConnectedException), the same through its socket adaptor, a {@code finishConnect} after the close, and a
 * second {@code connect} while a non-blocking one is pending (ConnectionPendingException). The application catches
 * each and goes on writing, then closes. Usage: {@code MisusedConnectWorkload <truth-file>}.
 *
 * <p>Truth lines, one per client: {@code <scenario> <local> <remote> <bytes its server read> <exception caught>}.
 */
public final class MisusedConnectWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            for (String scenario : new String[] {"connect-again", "adaptor-connect-again", "finish-after-close",
                "connect-while-pending"}) {
                scenario(server, address, scenario, truth);
            }
        }
        System.out.println("misused connect workload done");
    }

    static void scenario(ServerSocket server, InetSocketAddress address, String scenario, PrintStream truth)
            throws Exception {
        SocketChannel client = SocketChannel.open();
        String caught = "none";
        if (scenario.equals("connect-while-pending")) {
            client.configureBlocking(false);
            if (!client.connect(address)) {
                try {
                    client.connect(address);
                } catch (Exception e) {
                    caught = e.getClass().getName();
                }
                while (!client.finishConnect()) {
                    Thread.sleep(1);
                }
            }
            client.configureBlocking(true);
        } else {
            client.connect(address);
        }
        try (Socket accepted = server.accept()) {
            write(client, 1000);
            if (scenario.equals("connect-again")) {
                try {
                    client.connect(address);
                } catch (Exception e) {
                    caught = e.getClass().getName();
                }
            } else if (scenario.equals("adaptor-connect-again")) {
                try {
                    client.socket().connect(address);
                } catch (Exception e) {
                    caught = e.getClass().getName();
                }
            }
            write(client, 5000);
            String where = Truth.where(client.getLocalAddress(), client.getRemoteAddress());
            client.close();
            if (scenario.equals("finish-after-close")) {
                try {
                    client.finishConnect();
                } catch (Exception e) {
                    caught = e.getClass().getName();
                }
            }
            long read = EchoWorkload.drain(accepted.getInputStream());
            truth.println(scenario + " " + where + " " + read + " " + caught);
        }
    }

    static void write(SocketChannel channel, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private MisusedConnectWorkload() {
    }
}
