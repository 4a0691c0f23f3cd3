package dev.netprof.it.workload;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Blocking socket echo where every client and every server connection runs on its own virtual thread (JDK 21+).
 * Usage: {@code VirtualThreadWorkload <truth-file> <thread-ids-file>}.
 */
public final class VirtualThreadWorkload {
    static final int CONNECTIONS = 40;

    public static void main(String[] args) throws Exception {
        Truth truth = new Truth();
        Set<Long> ioThreads = ConcurrentHashMap.newKeySet();
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
            .invoke(null);
        try (ServerSocket server = new ServerSocket(0, CONNECTIONS, InetAddress.getLoopbackAddress())) {
            Future<?> acceptor = virtual.submit(() -> {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket s = server.accept();
                    virtual.submit(() -> {
                        ioThreads.add(Thread.currentThread().getId());
                        try (s) {
                            Truth.Side side = truth.tcp("server", "socket", s.getLocalSocketAddress(),
                                s.getRemoteSocketAddress());
                            EchoWorkload.echoUntilEof(s.getInputStream(), s.getOutputStream(), side);
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                long seed = c;
                clients.add(virtual.submit(() -> {
                    ioThreads.add(Thread.currentThread().getId());
                    Random random = new Random(seed);
                    try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                        Truth.Side side = truth.tcp("client", "socket", s.getLocalSocketAddress(),
                            s.getRemoteSocketAddress());
                        OutputStream out = s.getOutputStream();
                        for (int i = 0; i < 10; i++) {
                            byte[] b = new byte[1 + random.nextInt(20_000)];
                            random.nextBytes(b);
                            out.write(b);
                            side.written.addAndGet(b.length);
                        }
                        s.shutdownOutput();
                        EchoWorkload.drain(s.getInputStream(), side);
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            acceptor.get();
        }
        virtual.shutdown();
        virtual.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        truth.write(Path.of(args[0]));
        StringBuilder ids = new StringBuilder();
        for (long id : ioThreads) {
            ids.append(id).append('\n');
        }
        Files.writeString(Path.of(args[1]), ids);
        System.out.println("virtual thread workload done");
    }

}
