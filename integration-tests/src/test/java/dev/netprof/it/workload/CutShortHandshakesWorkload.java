package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS handshakes that end neither in the JDK's finishHandshake nor in a fatal alert about the handshake itself: a
 * client whose only enabled protocol is disabled (SSLSocket and SSLEngine; the JDK gives up before its handshake
 * context exists), an SSLEngine client whose server drops the connection after the ClientHello (the application then
 * closes the engine's inbound, as the JDK HttpClient does), and an SSLEngine server that cancels after the ClientHello
 * (user_canceled, close_notify) to an SSLSocket client. Usage: {@code CutShortHandshakesWorkload <truth-file>}.
 *
 * <p>Truth lines, one per side that began a handshake: {@code <scenario> <role> <local> <remote> <what the
 * application saw>}, the last being the exception it caught, {@code canceled} for the side that canceled, or
 * {@code cipher suite <name>} for a side whose handshake call returned without an exception.
 */
public final class CutShortHandshakesWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Disabled by the JDK's default jdk.tls.disabledAlgorithms on 17 and 25. */
    static final String[] DISABLED_PROTOCOL = {"TLSv1.1"};

    public static void main(String[] args) throws Exception {
        SSLContext ctx = WebWorkload.SelfSigned.temporary();
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            socketClientWithOnlyADisabledProtocol(ctx, truth);
            engineClientWithOnlyADisabledProtocol(ctx, truth);
            engineClientWhoseServerHangsUpAfterTheClientHello(ctx, truth);
            engineServerThatCancelsAfterTheClientHello(ctx, truth);
        }
        System.out.println("cut-short handshakes workload done");
    }

    static void socketClientWithOnlyADisabledProtocol(SSLContext ctx, PrintStream truth) throws Exception {
        try (SSLServerSocket server =
                 (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, LOOPBACK)) {
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    String where = where(s);
                    try {
                        s.startHandshake();
                        throw new IllegalStateException("a handshake without a client");
                    } catch (SSLException expected) {
                        line(truth, "socket-disabled-protocol", "server", where, expected.getMessage());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                String where = where(s);
                s.setEnabledProtocols(DISABLED_PROTOCOL);
                try {
                    s.startHandshake();
                    throw new IllegalStateException("a disabled protocol was used");
                } catch (SSLException expected) {
                    line(truth, "socket-disabled-protocol", "client", where, expected.getMessage());
                }
            }
            t.join();
        }
    }

    static void engineClientWithOnlyADisabledProtocol(SSLContext ctx, PrintStream truth) throws Exception {
        // Never accepted: the engine gives up before it sends, and netprof ties an engine to its thread's last
        // connection, which an accept here would be.
        try (ServerSocket plain = new ServerSocket(0, 5, LOOPBACK);
             SocketChannel ch = SocketChannel.open(plain.getLocalSocketAddress())) {
            SSLEngine e = ctx.createSSLEngine("localhost", plain.getLocalPort());
            e.setUseClientMode(true);
            e.setEnabledProtocols(DISABLED_PROTOCOL);
            try {
                e.beginHandshake();
                throw new IllegalStateException("a disabled protocol was used");
            } catch (SSLException expected) {
                line(truth, "engine-disabled-protocol", "client", where(ch), expected.getMessage());
            }
        }
    }

    /** The server reads one TLS record (the ClientHello) and closes: the client reads the end of the stream. */
    static void engineClientWhoseServerHangsUpAfterTheClientHello(SSLContext ctx, PrintStream truth) throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 5, LOOPBACK)) {
            Thread t = new Thread(() -> {
                try (Socket s = plain.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    in.skipNBytes(3); // content type, version
                    in.skipNBytes(in.readUnsignedShort());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (SocketChannel ch = SocketChannel.open(plain.getLocalSocketAddress())) {
                SSLEngine e = ctx.createSSLEngine("localhost", plain.getLocalPort());
                e.setUseClientMode(true);
                e.beginHandshake();
                ch.write(wrap(e));
                if (ch.read(ByteBuffer.allocate(1)) != -1) {
                    throw new IllegalStateException("the server answered");
                }
                try {
                    e.closeInbound();
                    throw new IllegalStateException("the engine did not mind");
                } catch (SSLException expected) {
                    line(truth, "engine-hung-up", "client", where(ch), expected.getMessage());
                }
            }
            t.join();
        }
    }

    /** The server engine has read the ClientHello's bytes but not unwrapped them when it closes its outbound. */
    static void engineServerThatCancelsAfterTheClientHello(SSLContext ctx, PrintStream truth) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            Thread client = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                    String where = where(s);
                    s.startHandshake();
                    line(truth, "engine-canceled", "client", where, "cipher suite " + s.getSession().getCipherSuite());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            client.start();
            try (SocketChannel ch = listener.accept()) {
                SSLEngine e = ctx.createSSLEngine();
                e.setUseClientMode(false);
                e.beginHandshake();
                if (ch.read(ByteBuffer.allocate(64)) <= 0) {
                    throw new IllegalStateException("no ClientHello");
                }
                e.closeOutbound();
                ch.write(wrap(e));
                line(truth, "engine-canceled", "server", where(ch), "canceled");
                client.join();
            }
        }
    }

    /** What the engine has to send now: a wrap delivers one record at a time. */
    private static ByteBuffer wrap(SSLEngine e) throws SSLException {
        ByteBuffer net = ByteBuffer.allocate(4 * e.getSession().getPacketBufferSize());
        while (e.wrap(ByteBuffer.allocate(0), net).bytesProduced() > 0) {
            // until nothing is left to send
        }
        return net.flip();
    }

    /** {@code <local> <remote>}, read while the connection is open. */
    static String where(Socket s) {
        return Truth.where(s.getLocalSocketAddress(), s.getRemoteSocketAddress());
    }

    private static String where(SocketChannel ch) throws IOException {
        return Truth.where(ch.getLocalAddress(), ch.getRemoteAddress());
    }

    static synchronized void line(PrintStream truth, String scenario, String role, String where, String saw) {
        truth.println(scenario + " " + role + " " + where + " " + saw);
    }
}
