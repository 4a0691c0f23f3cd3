package dev.netprof.bench;

import static dev.netprof.bench.LoopbackWorkload.LOOPBACK;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Sequential GETs from one JDK HttpClient (HTTP/1.1, one kept-alive connection) to the JDK's HttpServer, each
 * answered with a 64-byte body: the selector-driven client and a blocking-dispatch server, both NIO.
 */
final class HttpGets implements Workload {
    private final HttpServer server;
    private final HttpClient client;
    private final HttpRequest get;

    HttpGets() throws IOException {
        // Without it HttpServer leaves Nagle on, and each response waits for the client's delayed ACK (~40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // A sliced child sits stopped for minutes before and between its turns. With the default idle timeouts
        // (HttpServer's 30 s) the kept-alive connection was closed meanwhile, and the next turns ran slower while
        // the reconnection's code warmed up: 3.3, 5.0, 5.1, 6.8 k GET/s after a 60 s stop, 8.2, 7.5, 8.3, 9.0 k
        // with these (JDK 25, no agent).
        System.setProperty("sun.net.httpserver.idleInterval", "3600");
        System.setProperty("jdk.httpclient.keepalive.timeout", "3600");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        byte[] body = new byte[StreamPingPong.MESSAGE];
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build();
    }

    @Override
    public long step() throws Exception {
        HttpResponse<byte[]> r = client.send(get, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 || r.body().length != StreamPingPong.MESSAGE) {
            throw new IOException("unexpected response " + r.statusCode() + " with " + r.body().length + " bytes");
        }
        return 1;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
