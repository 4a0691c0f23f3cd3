package dev.netprof.bench;

import static dev.netprof.bench.LoopbackWorkload.LOOPBACK;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A connection per request: the client connects, writes 64 bytes, reads the 64 an acceptor thread echoes back and
 * closes; one step is one connection. What the ping-pongs never do: every step opens, defines and closes a
 * connection on both ends, which is where netprof takes its stacks (connect, accept, close, first read and write).
 */
final class ConnectPerRequest implements Workload {
    private final ServerSocket server = new ServerSocket(0, 128, LOOPBACK);
    private final byte[] message = new byte[StreamPingPong.MESSAGE];

    ConnectPerRequest() throws IOException {
        Thread acceptor = new Thread(this::serve, "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public long step() throws IOException {
        try (Socket s = new Socket(LOOPBACK, server.getLocalPort())) {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(message);
            new DataInputStream(s.getInputStream()).readFully(message);
        }
        return 1;
    }

    private void serve() {
        byte[] b = new byte[StreamPingPong.MESSAGE];
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                new DataInputStream(s.getInputStream()).readFully(b);
                s.getOutputStream().write(b);
            } catch (IOException closedOrReset) {
                // the server closed at the end of the run, or one client went away: serve the next
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
