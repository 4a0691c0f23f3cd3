package dev.netprof.it.workload;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HTTP exchanges whose connection is learned below the call netprof records them at: OkHttp responses without a body
 * (204, HEAD), which let the call forget its connection before it returns, and Apache HttpClient's minimal client;
 * then an HttpURLConnection request to a closed port, which had no connection. Prints, per exchange in order, the
 * client, the status and the client address the server saw ("-" for none).
 */
public final class HttpConnectionsWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            seen.add(Truth.format(exchange.getRemoteAddress()));
            boolean empty = exchange.getRequestURI().getPath().equals("/empty");
            if (empty || exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(empty ? 204 : 200, -1);
            } else {
                exchange.sendResponseHeaders(200, 3);
                exchange.getResponseBody().write(new byte[3]);
            }
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            okhttp3.OkHttpClient ok = new okhttp3.OkHttpClient();
            for (String[] call : new String[][] {{"GET", "/body"}, {"GET", "/empty"}, {"HEAD", "/body"}}) {
                try (okhttp3.Response r = ok.newCall(new okhttp3.Request.Builder().url(base + call[1])
                        .method(call[0], null).build()).execute()) {
                    r.body().bytes();
                    System.out.println("okhttp " + r.code() + " " + seen.get(seen.size() - 1));
                }
            }
            ok.connectionPool().evictAll();
            try (org.apache.hc.client5.http.impl.classic.MinimalHttpClient apache =
                     org.apache.hc.client5.http.impl.classic.HttpClients.createMinimal()) {
                for (int i = 0; i < 2; i++) {
                    int status = apache.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(base + "/body"),
                        r -> {
                            r.getEntity().getContent().readAllBytes();
                            return r.getCode();
                        });
                    System.out.println("apache-httpclient5 " + status + " " + seen.get(seen.size() - 1));
                }
            }
        } finally {
            server.stop(0);
        }
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closed = probe.getLocalPort();
        }
        try {
            new URL("http://127.0.0.1:" + closed + "/").openConnection().getInputStream();
            throw new IllegalStateException("a closed port answered");
        } catch (ConnectException expected) {
            System.out.println("httpurlconnection -1 -");
        }
    }

    private HttpConnectionsWorkload() {
    }
}
