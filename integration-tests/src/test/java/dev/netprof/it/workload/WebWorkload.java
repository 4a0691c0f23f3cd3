package dev.netprof.it.workload;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS and HTTP with real parts: Jetty 12 serving HTTP/2 over TLS (ALPN h2, http/1.1) and plain HTTP/1.1, the JDK
 * HttpClient, HttpURLConnection, OkHttp and Apache HttpClient 5 (classic and async) as clients, and failing
 * handshakes (ALPN mismatch, untrusted certificate). Keys are generated for the run with keytool.
 * Usage: {@code WebWorkload <truth-file>}.
 *
 * <p>Truth lines: {@code phase <name> <server connections that carried its requests> <exchanges>}, and
 * {@code https <port>}, {@code http <port>}, {@code echo <plaintext bytes each way>}.
 */
public final class WebWorkload {
    public static final int BODY = 3000;
    /** The remote addresses the server saw requests from, per phase: its own count of connections. */
    static final Set<SocketAddress> PEERS = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // Jetty's threads must not keep a failed run alive
        }
    }

    private static void run(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("netprof-web");
        Path keystore = dir.resolve("server.p12");
        try {
            serveAndRequest(args, keystore);
        } finally {
            Files.deleteIfExists(keystore);
            Files.delete(dir);
        }
    }

    private static void serveAndRequest(String[] args, Path keystore) throws Exception {
        SelfSigned.generate(keystore);
        SSLContext trusting = SelfSigned.context(keystore);
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            Server server = jetty(keystore);
            server.start();
            int https = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            int http = ((ServerConnector) server.getConnectors()[1]).getLocalPort();
            truth.println("https " + https);
            truth.println("http " + http);

            phase(truth, "jdk-h2", 5, () -> {
                HttpClient c = HttpClient.newBuilder().sslContext(trusting).version(HttpClient.Version.HTTP_2).build();
                for (int i = 0; i < 5; i++) {
                    check(c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/data?token=secret"))
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).body().length);
                }
            });
            phase(truth, "jdk-http11", 5, () -> {
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i = 0; i < 5; i++) {
                    check(c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/data")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body().length);
                }
            });
            phase(truth, "okhttp", 3, () -> {
                okhttp3.OkHttpClient c = new okhttp3.OkHttpClient.Builder()
                    .sslSocketFactory(trusting.getSocketFactory(), SelfSigned.trustManager(keystore)).build();
                for (int i = 0; i < 3; i++) {
                    try (okhttp3.Response r = c.newCall(new okhttp3.Request.Builder()
                        .url("https://localhost:" + https + "/data").build()).execute()) {
                        check(r.body().bytes().length);
                    }
                }
                c.connectionPool().evictAll();
            });
            phase(truth, "apache", 3, () -> {
                try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient c =
                         org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
                    for (int i = 0; i < 3; i++) {
                        check(c.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(
                            "http://127.0.0.1:" + http + "/data"), r -> r.getEntity().getContent().readAllBytes()).length);
                    }
                }
            });
            phase(truth, "apache-async", 3, () -> {
                try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient c =
                         org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault()) {
                    c.start();
                    for (int i = 0; i < 3; i++) {
                        check(c.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(
                            "http://127.0.0.1:" + http + "/async").build(), null).get().getBodyBytes().length);
                    }
                }
            });
            phase(truth, "urlconnection", 2, () -> {
                for (int i = 0; i < 2; i++) {
                    HttpURLConnection u = (HttpURLConnection) new URL("http://127.0.0.1:" + http + "/data").openConnection();
                    try (InputStream in = u.getInputStream()) {
                        check(in.readAllBytes().length);
                    }
                }
            });
            server.stop();
        }
        tlsEcho(trusting, Path.of(args[0]));
        // The server speaks only h2, the client offers only http/1.1: no_application_protocol.
        failingHandshake(trusting, new String[] {"h2"}, trusting.getSocketFactory(), new String[] {"http/1.1"},
            "ALPN mismatch accepted");
        // A client that does not trust the self-signed certificate: PKIX path building fails.
        failingHandshake(trusting, null, SSLContext.getDefault().getSocketFactory(), null,
            "an untrusted certificate was accepted");
        tls12(trusting);
        InetAddress.getAllByName("localhost");
        InetAddress.getAllByName("localhost");
        System.out.println("web workload done");
    }

    /** A piece of a workload that may throw. */
    interface Body {
        void run() throws Exception;
    }

    private static void phase(PrintStream truth, String name, int exchanges, Body body) throws Exception {
        PEERS.clear();
        body.run();
        truth.println("phase " + name + " " + PEERS.size() + " " + exchanges);
    }

    private static void check(int length) {
        if (length != BODY) {
            throw new IllegalStateException("body of " + length + " bytes");
        }
    }

    private static Server jetty(Path keystore) {
        Server server = new Server();
        HttpConfiguration plainConfig = new HttpConfiguration();
        HttpConfiguration tlsConfig = new HttpConfiguration(plainConfig);
        tlsConfig.addCustomizer(new SecureRequestCustomizer(false));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toString());
        ssl.setKeyStorePassword(SelfSigned.PASSWORD);
        ssl.setKeyStoreType("PKCS12");
        HttpConnectionFactory http11 = new HttpConnectionFactory(tlsConfig);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(tlsConfig);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        ServerConnector https = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2,
            http11);
        https.setHost("127.0.0.1");
        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(plainConfig));
        plain.setHost("127.0.0.1");
        server.addConnector(https);
        server.addConnector(plain);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                PEERS.add(request.getConnectionMetaData().getRemoteSocketAddress());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY);
                response.write(true, ByteBuffer.wrap(new byte[BODY]), callback);
                return true;
            }
        });
        return server;
    }

    /** SSLSocket to SSLServerSocket, a known number of plaintext bytes each way. */
    private static void tlsEcho(SSLContext ctx, Path truthFile) throws Exception {
        int bytes = 12_345;
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (var s = server.accept()) {
                    s.getOutputStream().write(s.getInputStream().readNBytes(bytes));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                s.getOutputStream().write(new byte[bytes]);
                if (s.getInputStream().readNBytes(bytes).length != bytes) {
                    throw new IllegalStateException("short echo");
                }
            }
            t.join();
        }
        Files.writeString(truthFile, "echo " + bytes + "\n", StandardOpenOption.APPEND);
    }

    /**
     * A handshake that fails and whose exception both sides swallow (netprof must record it anyway). ALPN lists are
     * set where not null.
     */
    private static void failingHandshake(SSLContext serverCtx, String[] serverAlpn, SSLSocketFactory client,
                                         String[] clientAlpn, String ifAccepted) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            if (serverAlpn != null) {
                SSLParameters p = server.getSSLParameters();
                p.setApplicationProtocols(serverAlpn);
                server.setSSLParameters(p);
            }
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                } catch (Exception expected) {
                    // the handshake fails on this side too
                }
            });
            t.start();
            try (SSLSocket s = (SSLSocket) client.createSocket("localhost", server.getLocalPort())) {
                if (clientAlpn != null) {
                    SSLParameters cp = s.getSSLParameters();
                    cp.setApplicationProtocols(clientAlpn);
                    s.setSSLParameters(cp);
                }
                s.startHandshake();
                throw new IllegalStateException(ifAccepted);
            } catch (SSLException expected) {
                // swallowed on purpose
            }
            t.join();
        }
    }

    /** A client limited to TLS 1.2. */
    private static void tls12(SSLContext ctx) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.startHandshake();
            }
            t.join();
        }
    }

    /** Key pairs made at run time by this JDK's keytool: no key material in the repository. */
    public static final class SelfSigned {
        static final String PASSWORD = "changeit";

        static void generate(Path keystore) throws Exception {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "web", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed");
            }
        }

        static KeyStore load(Path keystore) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            return ks;
        }

        static X509TrustManager trustManager(Path keystore) throws Exception {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(keystore));
            return (X509TrustManager) tmf.getTrustManagers()[0];
        }

        static SSLContext context(Path keystore) throws Exception {
            return context(keystore, trustManager(keystore));
        }

        /** A context that presents the key pair in {@code keystore} and trusts what {@code trust} trusts. */
        static SSLContext context(Path keystore, TrustManager trust) throws Exception {
            KeyStore ks = load(keystore);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
            return ctx;
        }

        /** A context that serves and trusts a key pair generated just now; its keystore is deleted again. */
        public static SSLContext temporary() throws Exception {
            Path dir = Files.createTempDirectory("netprof-tls");
            Path keystore = dir.resolve("server.p12");
            try {
                generate(keystore);
                return context(keystore);
            } finally {
                Files.deleteIfExists(keystore);
                Files.delete(dir);
            }
        }
    }
}
