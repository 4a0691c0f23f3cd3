package dev.netprof.it.workload;

import dev.netprof.it.workload.TlsPairingWorkload.EngineConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

/**
 * An SSLEngine server over AsynchronousSocketChannel, which netprof does not record, whose thread calls a plain
 * backend before each request (as a Tomcat NIO2 connector's servlet calls a database): the thread's last recorded
 * connection is the backend's, which must not take the server's handshake or plaintext. Usage: {@code
 * AsyncTlsWorkload <truth-file>}; truth lines: {@code backend <local> <remote> <read> <written>} for each backend
 * call's client side.
 */
public final class AsyncTlsWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int REQUESTS = 2;
    static final int ASKED = 6;
    static final int ANSWERED = 100;

    public static void main(String[] args) throws Exception {
        SSLContext ctx = WebWorkload.SelfSigned.temporary();
        ExecutorService clients = Executors.newCachedThreadPool();
        try (ServerSocket backend = new ServerSocket(0, 50, LOOPBACK);
             AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                 .bind(new InetSocketAddress(LOOPBACK, 0));
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            clients.submit(() -> answerBackendCalls(backend));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            for (int i = 0; i < REQUESTS; i++) {
                int body = TlsPairingWorkload.bodyOf(i);
                Future<?> client = clients.submit(() -> request(ctx, port, body));
                truth.println(callBackend(backend.getLocalPort()));
                try (AsynchronousSocketChannel ch = server.accept().get()) {
                    SSLEngine engine = ctx.createSSLEngine();
                    engine.setUseClientMode(false);
                    EngineConnection tls = new EngineConnection(engine, new Blocking(ch));
                    tls.handshake();
                    tls.read(TlsPairingWorkload.request(body).length);
                    tls.write(TlsPairingWorkload.response(2 * body));
                    client.get();
                }
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.println("async tls workload done");
    }

    /** One backend call: {@link #ASKED} bytes out, {@link #ANSWERED} back; its truth line. */
    static String callBackend(int port) throws Exception {
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.getOutputStream().write(new byte[ASKED]);
            s.getInputStream().readNBytes(ANSWERED);
            return "backend " + Truth.where(s.getLocalSocketAddress(), s.getRemoteSocketAddress()) + " " + ANSWERED + " "
                + ASKED;
        }
    }

    private static Void answerBackendCalls(ServerSocket backend) throws Exception {
        while (true) {
            try (Socket s = backend.accept()) {
                s.getInputStream().readNBytes(ASKED);
                s.getOutputStream().write(new byte[ANSWERED]);
            }
        }
    }

    private static Void request(SSLContext ctx, int port, int body) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            OutputStream out = s.getOutputStream();
            out.write(TlsPairingWorkload.request(body));
            out.flush();
            InputStream in = s.getInputStream();
            in.readNBytes(TlsPairingWorkload.response(2 * body).length);
        }
        return null;
    }

    /** An AsynchronousSocketChannel used as a blocking channel, each call waiting for its future. */
    private static final class Blocking implements ByteChannel {
        private final AsynchronousSocketChannel ch;

        Blocking(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return await(ch.read(dst));
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return await(ch.write(src));
        }

        private static int await(Future<Integer> f) throws IOException {
            try {
                return f.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IOException(e);
            }
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private AsyncTlsWorkload() {
    }
}
