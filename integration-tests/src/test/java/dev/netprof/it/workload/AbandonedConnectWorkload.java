package dev.netprof.it.workload;

import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Connects that never establish for the application, beside one that does: a non-blocking connect the application
 * closes once its selector says it can finish, without the finishConnect that would (a pool shut down mid-connect;
 * Netty closes a channel so when its connect timeout fires), then an ordinary connection to the same server; and a
 * blocking and a non-blocking connect refused where nothing listens (the second's finishConnect closes the channel
 * before it throws). Usage: {@code AbandonedConnectWorkload <truth-file>}.
 *
 * <p>Truth lines: {@code abandoned <server>}, {@code connected <client local> <server>}, {@code refused <address>},
 * {@code refused-pending <address>}.
 */
public final class AbandonedConnectWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            abandon(address);
            try (Socket accepted = server.accept()) {
                truth.println("abandoned " + Truth.format(address));
            }
            try (SocketChannel client = SocketChannel.open(address); Socket accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[100]));
                truth.println("connected " + Truth.where(client.getLocalAddress(), address));
            }
            InetSocketAddress nobody = new InetSocketAddress(LOOPBACK, HealthWorkload.closedPort());
            try (SocketChannel refused = SocketChannel.open()) {
                refused.connect(nobody);
                throw new IllegalStateException("a connect where nothing listens succeeded");
            } catch (ConnectException expected) {
                truth.println("refused " + Truth.format(nobody));
            }
            InetSocketAddress nobodyEither = new InetSocketAddress(LOOPBACK, HealthWorkload.closedPort());
            refuseWhilePending(nobodyEither);
            truth.println("refused-pending " + Truth.format(nobodyEither));
        }
        System.out.println("abandoned connect workload done");
    }

    /** Starts a non-blocking connect, waits until it can finish, and closes it instead. */
    static void abandon(InetSocketAddress address) throws Exception {
        try (Selector selector = Selector.open(); SocketChannel pending = SocketChannel.open()) {
            pending.configureBlocking(false);
            if (pending.connect(address)) {
                throw new IllegalStateException("Linux answers a non-blocking TCP connect with EINPROGRESS");
            }
            pending.register(selector, SelectionKey.OP_CONNECT);
            if (selector.select(10_000) != 1) {
                throw new IllegalStateException("the connect never became ready");
            }
        }
    }

    /** A non-blocking connect where nothing listens: its finishConnect throws, having closed the channel. */
    static void refuseWhilePending(InetSocketAddress address) throws Exception {
        try (Selector selector = Selector.open(); SocketChannel pending = SocketChannel.open()) {
            pending.configureBlocking(false);
            if (pending.connect(address)) {
                throw new IllegalStateException("a connect where nothing listens succeeded");
            }
            pending.register(selector, SelectionKey.OP_CONNECT);
            selector.select(10_000);
            pending.finishConnect();
            throw new IllegalStateException("a connect where nothing listens finished");
        } catch (ConnectException expected) {
            // refused, as the truth says
        }
    }

    private AbandonedConnectWorkload() {
    }
}
