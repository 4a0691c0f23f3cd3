package dev.netprof.it.workload;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;

/**
 * Round trips whose times the workload takes itself, with System.nanoTime(), for the test to hold netprof's recorded
 * times against: the client writes a one-byte request and reads the server's four-byte answer, which the server
 * writes after a pause of 1-50 ms. Per round it prints {@code round <client before read> <client after read>
 * <server before write>}, and first {@code client-thread <id>}. About 2.5 s in all, so the recording's clock is
 * steered several times while it runs. Last, what JFR counts its time in: {@code jfr-ticks-per-second <n>}, from the
 * chunk header of a recording of its own, which also shows JFR still works beside netprof.
 */
public final class TimingWorkload {
    public static final int ROUNDS = 100;

    public static void main(String[] args) throws Exception {
        long[] serverBeforeWrite = new long[ROUNDS];
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < ROUNDS; i++) {
                        if (in.read() < 0) {
                            throw new IllegalStateException("the client left early");
                        }
                        Thread.sleep(pauseMs(i));
                        serverBeforeWrite[i] = System.nanoTime();
                        out.write(new byte[4]);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            long[] beforeRead = new long[ROUNDS];
            long[] afterRead = new long[ROUNDS];
            try (Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] answer = new byte[4];
                for (int i = 0; i < ROUNDS; i++) {
                    out.write(1);
                    beforeRead[i] = System.nanoTime();
                    int n = in.read(answer);
                    afterRead[i] = System.nanoTime();
                    if (n != answer.length) {
                        throw new IllegalStateException("round " + i + " read " + n + " bytes, not 4 in one read");
                    }
                }
            }
            server.join();
            System.out.println("client-thread " + Thread.currentThread().getId());
            for (int i = 0; i < ROUNDS; i++) {
                System.out.println("round " + beforeRead[i] + " " + afterRead[i] + " " + serverBeforeWrite[i]);
            }
        }
        System.out.println("jfr-ticks-per-second " + jfrTicksPerSecond());
    }

    private static long jfrTicksPerSecond() throws Exception {
        Path file = Files.createTempFile("netprof-timing", ".jfr");
        try (Recording r = new Recording()) {
            r.start();
            r.stop();
            r.dump(file);
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.skipNBytes(56); // magic, version, size, constant pool and metadata offsets, start, duration, start ticks
            return in.readLong();
        } finally {
            Files.delete(file);
        }
    }

    static int pauseMs(int round) {
        return 1 + round * 7 % 50;
    }
}
