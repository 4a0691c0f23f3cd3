package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a loopback ping-pong and {@code spinners} CPU-bound threads busy while watching netprof's published status
 * every 100 µs, for a recording that stops on its own ({@code duration=}). On a JVM pinned to one CPU the spinners
 * stretch netprof's stop over several of its flusher's write intervals, as a busy production JVM would. At each
 * change of state it prints {@code <state> <size of events.nprof>}, then, once the state is {@code stopped}, waits
 * two seconds (the in-process rendering) and exits. Usage:
 * {@code StatusWatchWorkload <netprof out dir> <spinners> <timeout seconds>}.
 */
public final class StatusWatchWorkload {
    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]).resolve("events.nprof");
        for (int i = Integer.parseInt(args[1]); i > 0; i--) {
            Thread spinner = new Thread(StatusWatchWorkload::spin, "spinner-" + i);
            spinner.setDaemon(true);
            spinner.start();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread echo = new Thread(() -> pingPong(server), "ping-pong");
        echo.setDaemon(true);
        echo.start();
        String last = "";
        while (System.nanoTime() < until) {
            String status = System.getProperty("netprof.status", "");
            String state = status.startsWith("state=") ? status.substring(6, status.indexOf(';')) : "none";
            if (!state.equals(last)) {
                System.out.println(state + " " + (Files.exists(log) ? Files.size(log) : -1));
                last = state;
                if (state.equals("stopped")) {
                    Thread.sleep(2000);
                    return;
                }
            }
            LockSupport.parkNanos(100_000);
        }
        System.out.println("timeout");
    }

    private static volatile long spun;

    private static void spin() {
        while (true) {
            spun++;
        }
    }

    private static void pingPong(ServerSocket server) {
        try (Socket c = new Socket(server.getInetAddress(), server.getLocalPort()); Socket s = server.accept()) {
            DataInputStream clientIn = new DataInputStream(c.getInputStream());
            DataInputStream serverIn = new DataInputStream(s.getInputStream());
            OutputStream clientOut = c.getOutputStream();
            OutputStream serverOut = s.getOutputStream();
            byte[] b = new byte[64];
            while (true) {
                clientOut.write(b);
                serverIn.readFully(b);
                serverOut.write(b);
                clientIn.readFully(b);
            }
        } catch (Exception e) {
            // the JVM is exiting
        }
    }
}
