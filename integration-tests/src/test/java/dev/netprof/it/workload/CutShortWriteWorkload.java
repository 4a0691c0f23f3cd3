package dev.netprof.it.workload;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes that fail part-way: a client writes 64 MiB that its server does not read, through a Socket's stream and
 * through a SocketChannel's socket adaptor, until another thread closes the client. Whatever the client's sends
 * took before the close, its kernel still delivers, then the end of stream: so the server, reading once the write
 * has failed, counts exactly what crossed the wire, and the client's truth is that count.
 * Usage: {@code CutShortWriteWorkload <truth-file>}.
 */
public final class CutShortWriteWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    public static final int WRITE = 64 << 20;

    public static void main(String[] args) throws Exception {
        Truth truth = new Truth();
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            cutShort(truth, server, "socket", new Socket(LOOPBACK, server.getLocalPort()));
            cutShort(truth, server, "nio", SocketChannel.open(address).socket());
        }
        truth.write(Path.of(args[0]));
        System.out.println("cut-short writes done");
    }

    static void cutShort(Truth truth, ServerSocket server, String api, Socket client) throws Exception {
        try (Socket accepted = server.accept()) {
            Truth.Side writer = truth.tcp("client", api, client.getLocalSocketAddress(),
                client.getRemoteSocketAddress());
            Truth.Side reader = truth.tcp("server", "socket", accepted.getLocalSocketAddress(),
                accepted.getRemoteSocketAddress());
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread writing = new Thread(() -> {
                try {
                    client.getOutputStream().write(new byte[WRITE]);
                    outcome.set("the whole write");
                } catch (IOException expected) {
                    outcome.set(expected);
                }
            });
            writing.start();
            Thread.sleep(500); // both socket buffers fill in a few milliseconds; then the write blocks
            client.close();
            writing.join();
            if (!(outcome.get() instanceof IOException)) {
                throw new IllegalStateException("the write was to fail at the close, not end with " + outcome.get());
            }
            EchoWorkload.drain(accepted.getInputStream(), reader);
            writer.written.set(reader.read.get());
        }
    }

    private CutShortWriteWorkload() {
    }
}
