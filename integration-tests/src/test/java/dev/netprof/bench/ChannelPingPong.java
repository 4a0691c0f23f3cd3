package dev.netprof.bench;

import static dev.netprof.bench.LoopbackWorkload.LOOPBACK;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * {@link StreamPingPong} over NIO: blocking {@link SocketChannel}s on both sides, the path that
 * SocketChannelImpl rather than NioSocketImpl takes.
 */
final class ChannelPingPong implements Workload {
    private final ServerSocketChannel server;
    private final SocketChannel client;
    private final ByteBuffer message = ByteBuffer.allocate(StreamPingPong.MESSAGE);

    ChannelPingPong() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0), 1);
        client = SocketChannel.open(server.getLocalAddress());
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Thread echo = new Thread(this::echo, "echo");
        echo.setDaemon(true);
        echo.start();
    }

    @Override
    public long step() throws IOException {
        message.clear();
        while (message.hasRemaining()) {
            client.write(message);
        }
        readFully(client, message);
        return 1;
    }

    private void echo() {
        try (SocketChannel s = server.accept()) {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer b = ByteBuffer.allocate(StreamPingPong.MESSAGE);
            while (true) {
                readFully(s, b);
                b.flip();
                while (b.hasRemaining()) {
                    s.write(b);
                }
            }
        } catch (IOException closed) {
            // the client went away: the run is over
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        b.clear();
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException();
            }
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
