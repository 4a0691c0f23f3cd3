package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A ping-pong of {@value #MESSAGE}-byte messages for {@code millis}, stamping each of the client's writes with
 * {@code System.nanoTime()} before and after it: a recording with {@code duration=} stops in the middle, and counts
 * exactly the writes inside its window. Usage: {@code WindowWorkload <truth-file> <millis>}.
 *
 * <p>Truth: {@code <client local> <client remote>}, then {@code <start> <end>} per write.
 */
public final class WindowWorkload {
    public static final int MESSAGE = 1000;

    public static void main(String[] args) throws Exception {
        long until = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000L;
        long[] starts = new long[2_000_000];
        long[] ends = new long[starts.length];
        int writes = 0;
        String where;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PingPongWorkload.echo(server, MESSAGE);
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                where = Truth.where(s.getLocalSocketAddress(), s.getRemoteSocketAddress());
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] b = new byte[MESSAGE];
                while (System.nanoTime() < until && writes < starts.length) {
                    starts[writes] = System.nanoTime();
                    out.write(b);
                    ends[writes++] = System.nanoTime();
                    in.readFully(b);
                }
            }
        }
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])))) {
            truth.println(where);
            for (int i = 0; i < writes; i++) {
                truth.println(starts[i] + " " + ends[i]);
            }
        }
        System.out.println("window workload done: " + writes + " writes");
    }

    private WindowWorkload() {
    }
}
