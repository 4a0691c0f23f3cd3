package dev.netprof.bench;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.flush.Flusher;
import dev.netprof.flush.RecordingHeader;
import dev.netprof.record.Capture;
import dev.netprof.record.FastClock;
import dev.netprof.record.Recorder;
import dev.netprof.record.StackSampling;
import dev.netprof.render.Renderer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How long rendering a large recording takes, and in how much heap.
 *
 * <pre>
 *   agent/bench.sh run RenderScale generate DIR 10000000                 # 10M events over 200 connections
 *   BENCH_JAVA_OPTS=-Xmx1g agent/bench.sh run RenderScale render DIR     # prints seconds and peak heap
 * </pre>
 * Events are recorded through the real Recorder and Flusher from two threads, on real loopback connections.
 */
public final class RenderScale {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("generate")) {
            generate(dir, Long.parseLong(args[2]));
        } else {
            long t0 = System.nanoTime();
            Renderer.Result r = Renderer.render(dir);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("rendered %,d events (%,d bytes of log) in %.1f s, peak heap %d MiB, max heap %d MiB%n",
                r.recording().events, Files.size(dir.resolve(Renderer.LOG)), ms / 1000.0, peak >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    static void generate(Path dir, long events) throws Exception {
        Files.createDirectories(dir);
        int connections = 200;
        List<SocketChannel> sockets = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), connections)) {
            Capture capture = new Capture(FastClock.nanoTime(), 256L << 20, Capture.RECORDS_PER_BUFFER,
                StackSampling.defaults(StackSampling.SAMPLED, StackSampling.DEFAULT_SLOW_NS));
            Flusher flusher = Flusher.start(capture, dir.resolve(Renderer.LOG),
                new RecordingHeader(ProcessHandle.current().pid(), System.currentTimeMillis(), "bench", "", "bench"), 0);
            Recorder.start(capture);
            for (int i = 0; i < connections; i++) {
                SocketChannel c = SocketChannel.open(listener.getLocalAddress());
                Recorder.connected(Op.CONNECT, Api.NIO, c, FastClock.nanoTime(), true);
                SocketChannel s = listener.accept();
                Recorder.accepted(Api.NIO, s, FastClock.nanoTime());
                sockets.add(c);
                sockets.add(s);
            }
            long perThread = events / 2;
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                int first = t;
                threads[t] = new Thread(() -> {
                    for (long i = 0; i < perThread; i++) {
                        SocketChannel ch = sockets.get((int) ((i * 2 + first) % sockets.size()));
                        long start = FastClock.nanoTime();
                        Recorder.transfer(i % 2 == 0 ? Op.WRITE : Op.READ, Api.NIO, ch, start - 500 - i % 5000, 64 + i % 1000);
                        if ((i & 1023) == 0) {
                            Thread.onSpinWait(); // leave the flusher a chance on 2 cores
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            Recorder.stop();
            flusher.finish(FastClock.nanoTime());
            System.out.printf("generated %,d events, %,d dropped%n", flusher.events(), capture.dropped());
        } finally {
            for (SocketChannel s : sockets) {
                s.close();
            }
        }
    }

    private RenderScale() {
    }
}
