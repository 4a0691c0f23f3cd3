package dev.netprof.cli.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The built-in workload of {@code netprof demo}: a little of everything netprof records, on loopback, in a few
 * seconds. Each part prints one line so the run can be followed.
 */
public final class DemoWorkload {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Random RANDOM = new Random(42);
    /** Held until exit on purpose: the demo's connection leak. */
    private static final List<Socket> LEAKED = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demo-server");
            t.setDaemon(true);
            return t;
        });
        blockingEcho(pool);
        nioEcho(pool);
        udpEcho(pool);
        http();
        tls(pool);
        failures(pool);
        leak(pool);
        pool.shutdownNow();
        System.out.println("demo: done");
    }

    /** A thread-per-connection ServerSocket echo server and a few Socket clients with random message sizes. */
    static void blockingEcho(ExecutorService pool) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            pool.submit(() -> acceptLoop(server, pool));
            for (int c = 0; c < 3; c++) {
                try (Socket s = new Socket(LOOPBACK, server.getLocalPort())) {
                    exchange(s.getInputStream(), s.getOutputStream(), 20);
                }
            }
        }
        System.out.println("demo: blocking TCP echo, 3 connections");
    }

    /** A non-blocking selector echo server and a blocking SocketChannel client. */
    static void nioEcho(ExecutorService pool) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(); Selector selector = Selector.open()) {
            server.bind(new InetSocketAddress(LOOPBACK, 0));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            pool.submit(() -> selectLoop(selector));
            for (int c = 0; c < 2; c++) {
                try (SocketChannel ch = SocketChannel.open(server.getLocalAddress())) {
                    for (int i = 0; i < 20; i++) {
                        ByteBuffer out = ByteBuffer.wrap(payload(1 + RANDOM.nextInt(4096)));
                        int n = out.remaining();
                        while (out.hasRemaining()) {
                            ch.write(out);
                        }
                        ByteBuffer in = ByteBuffer.allocate(n);
                        while (in.hasRemaining() && ch.read(in) >= 0) {
                            // echo comes back in pieces
                        }
                    }
                }
            }
            selector.wakeup();
        }
        System.out.println("demo: NIO selector echo, 2 connections");
    }

    /** A DatagramSocket echo server and a DatagramChannel client. */
    static void udpEcho(ExecutorService pool) throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, LOOPBACK); DatagramChannel client = DatagramChannel.open()) {
            pool.submit(() -> {
                byte[] buf = new byte[65507];
                while (!server.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    server.receive(p);
                    server.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                }
                return null;
            });
            InetSocketAddress target = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            ByteBuffer in = ByteBuffer.allocate(65507);
            for (int i = 0; i < 30; i++) {
                client.send(ByteBuffer.wrap(payload(1 + RANDOM.nextInt(1400))), target);
                in.clear();
                client.receive(in);
            }
        }
        System.out.println("demo: UDP echo, 30 datagrams each way");
    }

    /** The JDK's HttpServer and HttpClient: keep-alive GETs on one connection, to a host name (a DNS lookup). */
    static void http() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = payload(512 + RANDOM.nextInt(4096));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://localhost:" + server.getAddress().getPort() + "/hello");
            for (int i = 0; i < 10; i++) {
                client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            }
        } finally {
            server.stop(0);
        }
        System.out.println("demo: HTTP, 10 GETs with the JDK HttpClient against the JDK HttpServer");
    }

    /** TLS with a key pair generated by keytool for this run. */
    static void tls(ExecutorService pool) throws Exception {
        SSLContext ctx = selfSignedContext();
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK)) {
            pool.submit(() -> acceptLoop(server, pool));
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(LOOPBACK, server.getLocalPort())) {
                s.startHandshake();
                exchange(s.getInputStream(), s.getOutputStream(), 10);
            }
        }
        System.out.println("demo: TLS echo over SSLSocket");
    }

    /** A refused connect and a read that times out. */
    static void failures(ExecutorService pool) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        try (Socket s = new Socket(LOOPBACK, closedPort)) {
            throw new IllegalStateException("port " + closedPort + " unexpectedly accepted");
        } catch (IOException expected) {
            // Connection refused: recorded as an error.
        }
        try (ServerSocket silent = new ServerSocket(0, 50, LOOPBACK)) {
            pool.submit(() -> {
                try (Socket peer = silent.accept()) {
                    Thread.sleep(1000);
                }
                return null;
            });
            try (Socket s = new Socket(LOOPBACK, silent.getLocalPort())) {
                s.setSoTimeout(200);
                s.getInputStream().read();
            } catch (SocketTimeoutException expected) {
                // Read timed out: recorded as an error.
            }
        }
        System.out.println("demo: a refused connect and a read timeout");
    }

    /** A connection the application never closes. */
    static void leak(ExecutorService pool) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        pool.submit(() -> acceptLoop(server, pool));
        Socket s = new Socket(LOOPBACK, server.getLocalPort());
        s.getOutputStream().write(payload(100));
        LEAKED.add(s);
        System.out.println("demo: one connection left open at exit");
    }

    private static Void acceptLoop(ServerSocket server, ExecutorService pool) {
        try {
            while (true) {
                Socket s = server.accept();
                pool.submit(() -> {
                    try (Socket peer = s) {
                        InputStream in = peer.getInputStream();
                        OutputStream out = peer.getOutputStream();
                        byte[] buf = new byte[8192];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            out.write(buf, 0, n);
                        }
                    }
                    return null;
                });
            }
        } catch (IOException closed) {
            return null;
        }
    }

    private static Void selectLoop(Selector selector) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (selector.isOpen()) {
            selector.select();
            if (!selector.isOpen()) {
                return null;
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                if (key.isAcceptable()) {
                    SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
                    if (ch != null) {
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                    }
                } else if (key.isReadable()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    buf.clear();
                    if (ch.read(buf) < 0) {
                        ch.close();
                        continue;
                    }
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            }
        }
        return null;
    }

    /** Sends {@code messages} length-prefixed random payloads and reads each echo back. */
    private static void exchange(InputStream in, OutputStream out, int messages) throws IOException {
        DataInputStream din = new DataInputStream(in);
        DataOutputStream dout = new DataOutputStream(out);
        for (int i = 0; i < messages; i++) {
            byte[] msg = payload(1 + RANDOM.nextInt(8192));
            dout.write(msg);
            dout.flush();
            din.readFully(new byte[msg.length]);
        }
    }

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static SSLContext selfSignedContext() throws Exception {
        Path dir = Files.createTempDirectory("netprof-demo-tls");
        Path store = dir.resolve("demo.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "demo", "-keyalg", "EC", "-groupname",
            "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
            "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
            .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed to generate the demo's key pair");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        Files.delete(store);
        Files.delete(dir);
        return ctx;
    }

    private DemoWorkload() {
    }
}
