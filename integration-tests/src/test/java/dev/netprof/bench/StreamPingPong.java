package dev.netprof.bench;

import static dev.netprof.bench.LoopbackWorkload.LOOPBACK;

import dev.netprof.it.workload.WebWorkload;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * 64-byte ping-pong over a blocking java.net socket, plain or TLS: the client writes 64 bytes, an echo thread
 * writes them back, the client reads them; one step is one round trip. Nagle is off on both sides, as a
 * request/response protocol would have it.
 */
final class StreamPingPong implements Workload {
    static final int MESSAGE = 64;

    private final ServerSocket server;
    private final Socket client;
    private final DataInputStream in;
    private final OutputStream out;
    private final byte[] message = new byte[MESSAGE];

    private StreamPingPong(ServerSocket server, Socket client) throws IOException {
        this.server = server;
        this.client = client;
        client.setTcpNoDelay(true);
        in = new DataInputStream(client.getInputStream());
        out = client.getOutputStream();
        Thread echo = new Thread(this::echo, "echo");
        echo.setDaemon(true);
        echo.start();
    }

    static StreamPingPong plain() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
        return new StreamPingPong(server, new Socket(LOOPBACK, server.getLocalPort()));
    }

    /** TLS with a key generated now; the handshake is done here, before anything is timed. */
    static StreamPingPong tls() throws Exception {
        SSLContext ctx = WebWorkload.SelfSigned.temporary();
        ServerSocket server = ctx.getServerSocketFactory().createServerSocket(0, 1, LOOPBACK);
        SSLSocket client = (SSLSocket) ctx.getSocketFactory().createSocket(LOOPBACK, server.getLocalPort());
        StreamPingPong p = new StreamPingPong(server, client);
        client.startHandshake();
        return p;
    }

    @Override
    public long step() throws IOException {
        out.write(message);
        in.readFully(message);
        return 1;
    }

    private void echo() {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            DataInputStream sin = new DataInputStream(s.getInputStream());
            OutputStream sout = s.getOutputStream();
            byte[] b = new byte[MESSAGE];
            while (true) {
                sin.readFully(b);
                sout.write(b);
            }
        } catch (IOException closed) {
            // the client went away: the run is over
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
    }
}
