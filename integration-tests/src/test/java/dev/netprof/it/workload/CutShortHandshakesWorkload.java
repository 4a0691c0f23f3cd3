package dev.netprof.it.workload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS handshakes cut short before the JDK's handshake gets going: a client whose only enabled protocol is disabled
 * (SSLSocket and SSLEngine; the JDK gives up while it builds its handshake context). Usage:
 * {@code CutShortHandshakesWorkload <truth-file>}.
 *
 * <p>Truth lines, one per side that began a handshake: {@code <scenario> <role> <local> <remote> <what the
 * application saw>}, the last being the exception it caught.
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

    /** {@code <local> <remote>}, read while the connection is open. */
    private static String where(Socket s) {
        return Truth.format(s.getLocalSocketAddress()) + " " + Truth.format(s.getRemoteSocketAddress());
    }

    private static String where(SocketChannel ch) throws IOException {
        return Truth.format(ch.getLocalAddress()) + " " + Truth.format(ch.getRemoteAddress());
    }

    private static synchronized void line(PrintStream truth, String scenario, String role, String where, String saw) {
        truth.println(scenario + " " + role + " " + where + " " + saw);
    }
}
