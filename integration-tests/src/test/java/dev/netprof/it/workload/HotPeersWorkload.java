package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Three peers with known behaviour, each talked to by one thread in a method named for it, for syscall-sampling
 * tests: {@code sendToA} pushes bulk data to A (on CPU in write), {@code pingB} ping-pongs with B, {@code slowRead}
 * waits 300 ms for each answer from C (blocked in read). Prints {@code A|B|C host:port} first.
 * Usage: {@code HotPeersWorkload <seconds>}.
 */
public final class HotPeersWorkload {
    public static void main(String[] args) throws Exception {
        long until = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket a = new ServerSocket(0, 5, lo); ServerSocket b = new ServerSocket(0, 5, lo);
             ServerSocket c = new ServerSocket(0, 5, lo)) {
            System.out.println("A " + Truth.format(a.getLocalSocketAddress()));
            System.out.println("B " + Truth.format(b.getLocalSocketAddress()));
            System.out.println("C " + Truth.format(c.getLocalSocketAddress()));
            daemon(() -> { // A: drains everything
                try (Socket s = a.accept(); InputStream in = s.getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            });
            daemon(() -> { // B: echoes 64-byte pings
                try (Socket s = b.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] m = new byte[64];
                    while (true) {
                        in.readFully(m);
                        s.getOutputStream().write(m);
                    }
                }
            });
            daemon(() -> { // C: answers each request after 300 ms
                try (Socket s = c.accept()) {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        Thread.sleep(300);
                        s.getOutputStream().write(1);
                    }
                }
            });
            Thread toA = new Thread(() -> sendToA(a, until), "to-A");
            Thread toB = new Thread(() -> pingB(b, until), "to-B");
            Thread toC = new Thread(() -> slowRead(c, until), "to-C");
            toA.start();
            toB.start();
            toC.start();
            toA.join();
            toB.join();
            toC.join();
        }
        System.out.println("hot peers done");
    }

    static void sendToA(ServerSocket a, long until) {
        try (Socket s = new Socket(a.getInetAddress(), a.getLocalPort())) {
            byte[] chunk = new byte[256 * 1024];
            OutputStream out = s.getOutputStream();
            while (System.nanoTime() < until) {
                out.write(chunk);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void pingB(ServerSocket b, long until) {
        try (Socket s = new Socket(b.getInetAddress(), b.getLocalPort())) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] m = new byte[64];
            while (System.nanoTime() < until) {
                s.getOutputStream().write(m);
                in.readFully(m);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void slowRead(ServerSocket c, long until) {
        try (Socket s = new Socket(c.getInetAddress(), c.getLocalPort())) {
            while (System.nanoTime() < until) {
                s.getOutputStream().write(1);
                s.getInputStream().read();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void daemon(WebWorkload.Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception ignored) {
                // the client went away
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
