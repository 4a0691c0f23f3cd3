package dev.netprof.it.workload;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything that goes wrong with connections, each in a method named for it (the tests find these names in the
 * recorded stacks): leaks, read and connect timeouts, a refused connect, a failed HTTP exchange and DNS lookup, a
 * reset, a half-closed connection left open, a full accept queue, and an event loop that blocks and stalls.
 */
public final class HealthWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Held until exit on purpose. */
    static final List<Object> HELD = new ArrayList<>();
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "health-server");
        t.setDaemon(true);
        return t;
    });

    public static void main(String[] args) throws Exception {
        ServerSocket echo = new ServerSocket(0, 50, LOOPBACK);
        POOL.submit(() -> drainForever(echo));
        dropSocketsWithoutClosing(echo.getLocalPort());
        dropChannelsWithoutClosing(echo.getLocalPort());
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(300);
        }
        holdSocketsOpen(echo.getLocalPort());
        leaveAnAnswerUnread();
        readWithTimeout();
        connectToClosedPort();
        requestFromAClosedPort();
        lookUpAnUnknownHost();
        postStreamedIntoARedirect();
        readFromResettingPeer();
        readUntilPeerCloses();
        idleWhilePeerCloses();
        answerAHalfClosedRequest();
        acceptBeforeTheClientComes();
        connectToFullBacklog();
        eventLoopThatBlocks();
        Thread.sleep(1500); // the half-closed connection stays open past closewait=1s
        System.out.println("health workload done");
    }

    static void dropSocketsWithoutClosing(int port) throws IOException {
        for (int i = 0; i < 3; i++) {
            new Socket(LOOPBACK, port).getOutputStream().write(1);
        }
    }

    static void dropChannelsWithoutClosing(int port) throws IOException {
        for (int i = 0; i < 2; i++) {
            SocketChannel.open(new InetSocketAddress(LOOPBACK, port)).write(ByteBuffer.wrap(new byte[] {1}));
        }
    }

    static void holdSocketsOpen(int port) throws IOException {
        for (int i = 0; i < 2; i++) {
            HELD.add(new Socket(LOOPBACK, port));
        }
    }

    /** A connection held open with the server's answer never read: it waits in the kernel until the exit. */
    static void leaveAnAnswerUnread() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        HELD.add(server);
        Future<?> answered = POOL.submit(() -> {
            Socket s = server.accept();
            HELD.add(s);
            s.getOutputStream().write(new byte[1000]);
            return null;
        });
        HELD.add(new Socket(LOOPBACK, server.getLocalPort()));
        answered.get();
    }

    static void readWithTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, LOOPBACK);
        HELD.add(silent);
        POOL.submit(() -> HELD.add(silent.accept()));
        try (Socket s = new Socket(LOOPBACK, silent.getLocalPort())) {
            s.setSoTimeout(300);
            s.getInputStream().read();
            throw new IllegalStateException("the silent server answered");
        } catch (SocketTimeoutException expected) {
            // recorded as a timeout
        }
    }

    static void connectToClosedPort() throws IOException {
        try (Socket s = new Socket(LOOPBACK, closedPort())) {
            throw new IllegalStateException("a closed port accepted");
        } catch (ConnectException expected) {
            // recorded as refused
        }
    }

    /** An HTTP exchange that fails: recorded as an error of the exchange, with the client's exception. */
    static void requestFromAClosedPort() throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort() + "/")).build();
        try {
            HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.discarding());
            throw new IllegalStateException("a closed port answered");
        } catch (ConnectException expected) {
            // the exchange failed
        }
    }

    /** Run with an empty jdk.net.hosts.file, so that the name is unknown at once, with no resolver to wait for. */
    static void lookUpAnUnknownHost() throws IOException {
        try {
            InetAddress.getByName("no-such-host.invalid");
            throw new IllegalStateException("an unknown host resolved");
        } catch (UnknownHostException expected) {
            // the lookup failed
        }
    }

    /**
     * A POST in streaming mode answered by a redirect: HttpURLConnection cannot send the body again, so it drops the
     * connection and throws, carrying the 302 in the exception.
     */
    static void postStreamedIntoARedirect() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            HttpURLConnection post = (HttpURLConnection) new URL("http://127.0.0.1:" + server.getAddress().getPort()
                + "/upload").openConnection();
            post.setRequestMethod("POST");
            post.setDoOutput(true);
            post.setFixedLengthStreamingMode(5);
            try (OutputStream body = post.getOutputStream()) {
                body.write(new byte[5]);
            }
            post.getInputStream();
            throw new IllegalStateException("a streamed POST followed a redirect");
        } catch (HttpRetryException expected) {
            // the redirect was not followed
        } finally {
            server.stop(0);
        }
    }

    /** A loopback port nothing listens on: one a server socket had a moment ago. */
    static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    static void readFromResettingPeer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            POOL.submit(() -> {
                Socket s = server.accept();
                s.setSoLinger(true, 0); // close with RST
                s.close();
                return null;
            });
            try (Socket s = new Socket(LOOPBACK, server.getLocalPort())) {
                Thread.sleep(200);
                s.getInputStream().read();
                throw new IllegalStateException("no reset");
            } catch (SocketException expected) {
                // Connection reset
            }
        }
    }

    /**
     * A keep-alive connection its server closes after answering while the client leaves it idle, as a pool does: it
     * sits in CLOSE_WAIT, its end of stream never read.
     */
    static void idleWhilePeerCloses() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        HELD.add(server);
        POOL.submit(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().readNBytes(5);
                s.getOutputStream().write(new byte[7]);
            }
            return null;
        });
        Socket s = new Socket(LOOPBACK, server.getLocalPort());
        HELD.add(s);
        s.getOutputStream().write(new byte[5]);
        s.getInputStream().readNBytes(7);
    }

    /**
     * The client half-closes after its request; the server reads the end of stream and answers in three parts over
     * 1.2 s, past closewait=1s, then closes: using its half-open connection, not keeping it in CLOSE_WAIT.
     */
    static void answerAHalfClosedRequest() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            POOL.submit(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readAllBytes();
                    for (int i = 0; i < 3; i++) {
                        Thread.sleep(400);
                        s.getOutputStream().write(new byte[100]);
                    }
                }
                return null;
            });
            try (Socket s = new Socket(LOOPBACK, server.getLocalPort())) {
                s.getOutputStream().write(new byte[5]);
                s.shutdownOutput();
                if (s.getInputStream().readAllBytes().length != 300) {
                    throw new IllegalStateException("the answer was cut short");
                }
            }
        }
    }

    /** A server waits in accept 600 ms before its client connects and sends {@code 4321} bytes. */
    static void acceptBeforeTheClientComes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            Future<?> served = POOL.submit(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readAllBytes();
                }
                return null;
            });
            Thread.sleep(600);
            try (Socket s = new Socket(LOOPBACK, server.getLocalPort())) {
                s.getOutputStream().write(new byte[4321]);
            }
            served.get();
        }
    }

    /** The peer closes; this side reads the end of stream and keeps the socket open anyway (CLOSE_WAIT). */
    static void readUntilPeerCloses() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        HELD.add(server);
        POOL.submit(() -> {
            server.accept().close();
            return null;
        });
        Socket s = new Socket(LOOPBACK, server.getLocalPort());
        HELD.add(s);
        if (s.getInputStream().read() != -1) {
            throw new IllegalStateException("expected end of stream");
        }
    }

    /** A listener with a backlog of 1 that never accepts: the queue overflows and the last connect times out. */
    static void connectToFullBacklog() throws Exception {
        ServerSocket full = new ServerSocket(0, 1, LOOPBACK);
        HELD.add(full);
        for (int i = 0; i < 4; i++) {
            try {
                Socket s = new Socket();
                HELD.add(s);
                s.connect(full.getLocalSocketAddress(), 400);
            } catch (SocketTimeoutException expected) {
                // the accept queue is full: SYNs are dropped
            }
        }
    }

    /** A selector loop that does a blocking read between selects, then sleeps between selects. */
    static void eventLoopThatBlocks() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             ServerSocket slow = new ServerSocket(0, 50, LOOPBACK)) {
            POOL.submit(() -> {
                try (Socket s = slow.accept()) {
                    Thread.sleep(60);
                    s.getOutputStream().write(new byte[10]);
                    Thread.sleep(1000);
                }
                return null;
            });
            Thread loop = new Thread(() -> {
                try (Selector selector = Selector.open(); Socket blocking = new Socket(LOOPBACK, slow.getLocalPort())) {
                    listener.configureBlocking(false);
                    listener.register(selector, SelectionKey.OP_ACCEPT);
                    selector.select(20);
                    blocking.getInputStream().read(new byte[10]); // blocks the loop ~60 ms
                    selector.select(20);
                    Thread.sleep(300); // not network work, between two selects
                    selector.select(20);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "test-event-loop");
            loop.start();
            loop.join();
        }
    }

    private static Void drainForever(ServerSocket server) throws IOException {
        while (true) {
            Socket s = server.accept();
            POOL.submit(() -> {
                try (s; InputStream in = s.getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                return null;
            });
        }
    }
}
