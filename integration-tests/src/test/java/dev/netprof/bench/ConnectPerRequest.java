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
 * With {@code depth}, both ends do it {@code depth} frames further down, as from a framework's stack: the JVM fills a
 * stack capture's every frame, however few netprof keeps.
 */
final class ConnectPerRequest implements Workload {
    private final ServerSocket server = new ServerSocket(0, 128, LOOPBACK);
    private final byte[] message = new byte[StreamPingPong.MESSAGE];
    private final int depth;

    ConnectPerRequest(int depth) throws IOException {
        this.depth = depth;
        Thread acceptor = new Thread(() -> below(depth, this::serve), "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public long step() throws IOException {
        below(depth, this::request);
        return 1;
    }

    private void request() throws IOException {
        try (Socket s = new Socket(LOOPBACK, server.getLocalPort())) {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(message);
            new DataInputStream(s.getInputStream()).readFully(message);
        }
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

    /** A call run further down, throwing only what it throws: the acceptor's throws nothing. */
    private interface Call<E extends Exception> {
        void run() throws E;
    }

    /** Runs {@code call} {@code frames} frames below this one. */
    private static <E extends Exception> void below(int frames, Call<E> call) throws E {
        if (frames == 0) {
            call.run();
        } else {
            below(frames - 1, call);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
