package dev.netprof.it.workload;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS clients whose handshakes and plaintext netprof must put on the right TCP connection without an SSLSocket's
 * SocketImpl to follow: the JDK HttpClient sending six POSTs at once over six connections; an SSLEngine client that
 * opens three SocketChannels first (a pool warming up), then handshakes and sends a request on each in turn; and an
 * SSLSocket layered over a SocketChannel's socket adaptor; and, the other way round, SSLEngine servers taking turns
 * on one thread with their delegated tasks on an executor, over TLS 1.2 and 1.3, for SSLSocket clients. Each
 * connection carries one HTTP/1.1 request with a body of its own size, which its server (an SSLServerSocket, but for
 * the last) answers with twice as many bytes before it closes. Usage: {@code TlsPairingWorkload <truth-file>}.
 *
 * <p>Truth lines, one per connection, from the server's side, which counts what it read and wrote through TLS:
 * {@code <client> <server local> <server remote> <plaintext read> <plaintext written>}.
 */
public final class TlsPairingWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        SSLContext ctx = WebWorkload.SelfSigned.temporary();
        ExecutorService serving = Executors.newCachedThreadPool();
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK);
             PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            int port = server.getLocalPort();
            List<Future<String>> served = serve(serving, server, "httpclient", 6);
            httpClient(ctx, port, 6);
            served.addAll(serve(serving, server, "engines", 3));
            engines(ctx, port, 3);
            served.addAll(serve(serving, server, "layered", 1));
            layered(ctx, port);
            for (Future<String> f : served) {
                truth.println(f.get());
            }
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                for (String line : engineServer(ctx, protocol, 4)) {
                    truth.println(line);
                }
            }
        } finally {
            serving.shutdown();
        }
        System.out.println("tls pairing workload done");
    }

    static int bodyOf(int i) {
        return 1000 * (i + 1) + 7 * i;
    }

    static byte[] request(int body) {
        return message("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body + "\r\n\r\n", body);
    }

    static byte[] response(int body) {
        return message("HTTP/1.1 200 OK\r\nContent-Length: " + body + "\r\nConnection: close\r\n\r\n", body);
    }

    /** {@code head}, then a body of {@code body} zeros. */
    static byte[] message(String head, int body) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[h.length + body];
        System.arraycopy(h, 0, m, 0, h.length);
        return m;
    }

    /** {@code n} connections, each answered on a thread of its own. */
    static List<Future<String>> serve(ExecutorService serving, SSLServerSocket server, String client, int n) {
        List<Future<String>> served = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            served.add(serving.submit(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            throw new EOFException("the request ended in its head");
                        }
                        head.write(b);
                    }
                    String h = head.toString(StandardCharsets.US_ASCII);
                    int i0 = h.indexOf("Content-Length: ") + 16;
                    int body = Integer.parseInt(h.substring(i0, h.indexOf("\r\n", i0)));
                    if (in.readNBytes(body).length != body) {
                        throw new EOFException("the request ended in its body");
                    }
                    byte[] answer = response(2 * body);
                    OutputStream out = s.getOutputStream();
                    out.write(answer);
                    out.flush();
                    return client + " " + Truth.where(s.getLocalSocketAddress(), s.getRemoteSocketAddress()) + " "
                        + (head.size() + body) + " " + answer.length;
                }
            }));
        }
        return served;
    }

    /** The JDK HttpClient, HTTP/1.1, all requests at once: a connection each, their handshakes overlapping. */
    static void httpClient(SSLContext ctx, int port, int n) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bodyOf(i)])).build();
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < n; i++) {
            if (responses.get(i).get().body().length != 2 * bodyOf(i)) {
                throw new IllegalStateException("a short answer");
            }
        }
    }

    /** SSLEngine clients over blocking SocketChannels, all opened before the first handshake. */
    static void engines(SSLContext ctx, int port, int n) throws Exception {
        List<EngineConnection> connections = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(LOOPBACK, port));
            SSLEngine engine = ctx.createSSLEngine("localhost", port);
            engine.setUseClientMode(true);
            connections.add(new EngineConnection(engine, channel));
        }
        for (int i = 0; i < n; i++) {
            EngineConnection c = connections.get(i);
            c.handshake();
            c.write(request(bodyOf(i)));
            c.read(response(2 * bodyOf(i)).length);
            c.channel.close();
        }
    }

    /** An SSLSocket over a SocketChannel's socket adaptor, as a STARTTLS client over NIO makes one. */
    static void layered(SSLContext ctx, int port) throws Exception {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(LOOPBACK, port));
        try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(channel.socket(), "localhost", port,
            true)) {
            tls.getOutputStream().write(request(bodyOf(0)));
            tls.getOutputStream().flush();
            int expected = response(2 * bodyOf(0)).length;
            if (tls.getInputStream().readNBytes(expected).length != expected) {
                throw new IllegalStateException("a short answer");
            }
        }
    }

    /**
     * SSLEngine servers on one thread that takes turns among its connections (an event loop, without the selector),
     * their delegated tasks on an executor, and client authentication, as servers do for TLS 1.3: between a
     * handshake's start and end its thread reads other connections, and the end may come on the executor. SSLSocket
     * clients, one thread each. Truth lines as {@link #serve}'s, counted from the engines' results.
     */
    static List<String> engineServer(SSLContext ctx, String protocol, int n) throws Exception {
        ExecutorService tasks = Executors.newSingleThreadExecutor();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] request = request(bodyOf(i));
                int answer = response(2 * bodyOf(i)).length;
                Thread client = new Thread(() -> {
                    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(LOOPBACK, port)) {
                        s.getOutputStream().write(request);
                        if (s.getInputStream().readNBytes(answer).length != answer) {
                            throw new IllegalStateException("a short answer");
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                client.start();
                clients.add(client);
            }
            List<ServerEngine> engines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SocketChannel channel = listener.accept();
                channel.configureBlocking(false);
                SSLEngine engine = ctx.createSSLEngine();
                engine.setUseClientMode(false);
                engine.setEnabledProtocols(new String[] {protocol});
                engine.setNeedClientAuth(true);
                engines.add(new ServerEngine(engine, channel, tasks));
            }
            List<String> lines = new ArrayList<>();
            while (lines.size() < n) {
                for (ServerEngine e : engines) {
                    String line = e.step("engine-server-" + protocol);
                    if (line != null) {
                        lines.add(line);
                    }
                }
            }
            for (Thread client : clients) {
                client.join();
            }
            return lines;
        } finally {
            tasks.shutdown();
        }
    }

    /** One connection of {@link #engineServer}: each step does what its engine needs next, without blocking. */
    static final class ServerEngine {
        final SocketChannel channel;
        final EngineConnection tls;
        final ExecutorService tasks;
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        long written;
        boolean done;

        ServerEngine(SSLEngine engine, SocketChannel channel, ExecutorService tasks) {
            this.channel = channel;
            this.tls = new EngineConnection(engine, channel);
            this.tasks = tasks;
        }

        /** The truth line once the request is answered and the connection closed, else null. */
        String step(String client) throws Exception {
            if (done) {
                return null;
            }
            SSLEngine engine = tls.engine;
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        tasks.submit(task).get();
                    }
                    return null;
                case NEED_WRAP:
                    tls.wrap(ByteBuffer.allocate(0));
                    return null;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    tls.unwrapOrRead();
                    return null;
                default:
                    break;
            }
            tls.unwrapOrRead();
            tls.appIn.flip();
            while (tls.appIn.hasRemaining()) {
                request.write(tls.appIn.get());
            }
            tls.appIn.clear();
            String h = request.toString(StandardCharsets.US_ASCII);
            int end = h.indexOf("\r\n\r\n");
            if (end < 0) {
                return null;
            }
            int i0 = h.indexOf("Content-Length: ") + 16;
            int body = Integer.parseInt(h.substring(i0, h.indexOf("\r\n", i0)));
            if (request.size() < end + 4 + body) {
                return null;
            }
            byte[] answer = response(2 * body);
            tls.write(answer);
            done = true;
            String line = client + " " + Truth.where(channel.getLocalAddress(), channel.getRemoteAddress())
                + " " + request.size() + " " + answer.length;
            channel.close();
            return line;
        }
    }

    /** An SSLEngine driven over a blocking channel, the simplest way an application can. */
    static final class EngineConnection {
        final SSLEngine engine;
        final ByteChannel channel;
        final ByteBuffer netIn;
        final ByteBuffer netOut;
        final ByteBuffer appIn;

        EngineConnection(SSLEngine engine, ByteChannel channel) {
            this.engine = engine;
            this.channel = channel;
            netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        }

        void handshake() throws IOException {
            engine.beginHandshake();
            for (SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
                 hs != SSLEngineResult.HandshakeStatus.FINISHED && hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
                 hs = engine.getHandshakeStatus()) {
                switch (hs) {
                    case NEED_WRAP:
                        wrap(ByteBuffer.allocate(0));
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        unwrapOrRead();
                        break;
                    case NEED_TASK:
                        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                            task.run();
                        }
                        break;
                    default:
                        throw new IllegalStateException(hs.toString());
                }
            }
        }

        void write(byte[] plaintext) throws IOException {
            ByteBuffer src = ByteBuffer.wrap(plaintext);
            while (src.hasRemaining()) {
                wrap(src);
            }
        }

        /** Reads exactly {@code n} bytes of plaintext. */
        void read(int n) throws IOException {
            int got = 0;
            while (true) {
                appIn.flip();
                got += appIn.remaining();
                appIn.clear();
                if (got >= n) {
                    return;
                }
                unwrapOrRead();
            }
        }

        private void wrap(ByteBuffer src) throws IOException {
            engine.wrap(src, netOut);
            netOut.flip();
            while (netOut.hasRemaining()) {
                channel.write(netOut);
            }
            netOut.clear();
        }

        /**
         * Unwraps what has come; when that is not a whole record, reads more and unwraps again at once, as event loops
         * do (a non-blocking channel may have nothing yet).
         */
        private void unwrapOrRead() throws IOException {
            if (unwrap() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                int n = channel.read(netIn);
                if (n < 0) {
                    throw new EOFException("the peer hung up");
                }
                if (n > 0) {
                    unwrap();
                }
            }
        }

        private SSLEngineResult.Status unwrap() throws IOException {
            netIn.flip();
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            netIn.compact();
            return r.getStatus();
        }
    }

    private TlsPairingWorkload() {
    }
}
