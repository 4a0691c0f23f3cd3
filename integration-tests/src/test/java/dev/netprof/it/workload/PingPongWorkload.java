package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Steady ping-pong on one loopback connection until killed or for {@code seconds}; every 100 ms it prints
 * {@code pings <n>}: round trips completed so far. Usage: {@code PingPongWorkload <seconds>}.
 */
public final class PingPongWorkload {
    public static void main(String[] args) throws Exception {
        long until = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            echo(server, 64);
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] b = new byte[64];
                long pings = 0;
                long nextReport = System.nanoTime();
                while (System.nanoTime() < until) {
                    out.write(b);
                    in.readFully(b);
                    pings++;
                    if (System.nanoTime() >= nextReport) {
                        System.out.println("pings " + pings);
                        System.out.flush();
                        nextReport = System.nanoTime() + 100_000_000L;
                    }
                }
            }
        }
    }

    /** Answers the first client of {@code server} with each {@code message}-byte message it sends, until it goes. */
    static void echo(ServerSocket server, int message) {
        Thread echo = new Thread(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] b = new byte[message];
                while (true) {
                    in.readFully(b);
                    out.write(b);
                }
            } catch (Exception closed) {
                // the client went away
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
    }
}
