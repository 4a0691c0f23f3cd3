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
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether the flusher keeps up: how many events per second it moves from application threads' buffers into
 * events.nprof, and how many are dropped when it does not. The real Recorder and Flusher with the agent's default
 * 32 MiB of buffers; two producer threads record reads and writes on real loopback SocketChannels.
 *
 * <pre>
 *   agent/bench.sh run FlusherThroughput rate [eventsPerSecond] [seconds] [bufferMiB]   # defaults 5000000 5 32
 *   agent/bench.sh run FlusherThroughput max [seconds] [bufferMiB]                     # defaults 5 32
 * </pre>
 * {@code rate} holds the two producers to a fixed total rate: batches of 1,000 events, each thread parking until its
 * schedule is due, and catching up when behind, but by at most {@link #MAX_LAG_NS}: the rest of the debt is let go.
 * The producers run interpreted at first; catching up all of it, flat out, offered 7-9 M events/s for tenths of a
 * second and starved the flusher of a CPU on a 2-CPU machine (finding that rate is {@code max}'s job), so in the
 * first second, and when the machine deschedules them, they may offer less than the rate: each run prints what they
 * offered. {@code max} runs them flat out, for the sustained rate and the drops at saturation. Every second it prints
 * the events produced, written and dropped in that second; at the end the totals, the same from the second second on
 * (the JIT done), the log's size and the flusher thread's CPU per event written while producing (what
 * encoding an event costs, wake-ups included: compare builds with {@code rate} below saturation, where every build
 * writes the same events). On a small machine the producers and the flusher compete for CPUs, as
 * they would inside an application. {@code BENCH_JAVA_OPTS=-Dthreshold=1000000} records as {@code threshold=1ms}
 * does: the flusher sums the fast operations per connection instead of writing each one.
 */
public final class FlusherThroughput {
    static final int PRODUCERS = 2;
    static final int BATCH = 1000;
    static final int CONNECTIONS = 100;
    static final long MAX_LAG_NS = 10_000_000;

    private final List<SocketChannel> sockets = new ArrayList<>();
    private final LongAdder produced = new LongAdder();
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        boolean max = args.length > 0 && args[0].equals("max");
        if (args.length == 0 || !(max || args[0].equals("rate"))) {
            System.err.println("usage: FlusherThroughput rate [eventsPerSecond] [seconds] [bufferMiB]"
                + " | max [seconds] [bufferMiB]");
            System.exit(2);
        }
        int next = max ? 1 : 2;
        long rate = max ? 0 : arg(args, 1, 5_000_000);
        long seconds = arg(args, next, 5);
        long bufferMiB = arg(args, next + 1, 32);
        new FlusherThroughput().run(rate, seconds, bufferMiB);
    }

    /** {@code rate} 0 means flat out. */
    private void run(long rate, long seconds, long bufferMiB) throws Exception {
        Path dir = Files.createTempDirectory("netprof-flusher");
        Path log = dir.resolve(Renderer.LOG);
        long thresholdNs = Long.getLong("threshold", 0);
        try (ServerSocketChannel listener = ServerSocketChannel.open()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS)) {
            Capture capture = new Capture(FastClock.nanoTime(), bufferMiB << 20, Capture.RECORDS_PER_BUFFER,
                StackSampling.defaults(StackSampling.SAMPLED, StackSampling.DEFAULT_SLOW_NS));
            Flusher flusher = Flusher.start(capture, log,
                new RecordingHeader(ProcessHandle.current().pid(), System.currentTimeMillis(), "bench", "", "bench"),
                thresholdNs);
            Recorder.start(capture);
            connect(listener);
            System.out.printf("%s, %d s, %d MiB of buffers, %d producers on %d connections, threshold %,d ns%n",
                rate == 0 ? "flat out" : String.format("target %,d events/s", rate), seconds, bufferMiB, PRODUCERS,
                sockets.size(), thresholdNs);

            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < PRODUCERS; t++) {
                int first = t;
                Thread producer = new Thread(() -> produce(first, rate / PRODUCERS), "producer-" + t);
                producer.start();
                producers.add(producer);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long flusherId = flusherThreadId();
            long flusherCpuStart = threads.getThreadCpuTime(flusherId);
            long writtenStart = flusher.events();
            long start = System.nanoTime();
            long lastProduced = 0;
            long lastWritten = 0;
            long lastDropped = 0;
            long producedBy1 = 0;
            long writtenBy1 = 0;
            long droppedBy1 = 0;
            long at1 = 0;
            for (int s = 1; s <= seconds; s++) {
                LockSupport.parkNanos(start + s * 1_000_000_000L - System.nanoTime());
                long p = produced.sum();
                long w = flusher.events();
                long d = capture.dropped();
                System.out.printf("second %d: produced %,d, written %,d, dropped %,d%n", s, p - lastProduced,
                    w - lastWritten, d - lastDropped);
                lastProduced = p;
                lastWritten = w;
                lastDropped = d;
                if (s == 1) {
                    producedBy1 = p;
                    writtenBy1 = w;
                    droppedBy1 = d;
                    at1 = System.nanoTime();
                }
            }
            running = false;
            for (Thread producer : producers) {
                producer.join();
            }
            long producingEnd = System.nanoTime();
            double producing = (producingEnd - start) / 1e9;
            long writtenWhileProducing = flusher.events();
            long droppedWhileProducing = capture.dropped();
            long flusherCpu = threads.getThreadCpuTime(flusherId) - flusherCpuStart;
            Recorder.stop();
            long drainStart = System.nanoTime();
            flusher.finish(FastClock.nanoTime());
            long drainMs = (System.nanoTime() - drainStart) / 1_000_000;

            long total = produced.sum();
            long written = flusher.events();
            long dropped = capture.dropped();
            long bytes = Files.size(log);
            System.out.printf("produced %,d events: %,.0f/s%n", total, total / producing);
            System.out.printf("written while producing: %,d events: %,.0f/s%n", writtenWhileProducing,
                writtenWhileProducing / producing);
            System.out.printf("written in all: %,d events (the final drain took %d ms)%n", written, drainMs);
            System.out.printf("dropped: %,d (%.2f%% of produced)%n", dropped, 100.0 * dropped / total);
            if (seconds > 1) {
                double warmed = (producingEnd - at1) / 1e9;
                System.out.printf("from the second second on: produced %,.0f/s, written %,.0f/s, dropped %,d%n",
                    (total - producedBy1) / warmed, (writtenWhileProducing - writtenBy1) / warmed,
                    droppedWhileProducing - droppedBy1);
            }
            System.out.printf("log: %,d bytes, %.1f bytes/event%n", bytes, (double) bytes / written);
            System.out.printf("flusher CPU while producing: %,d ms, %.1f ns/event written%n", flusherCpu / 1_000_000,
                (double) flusherCpu / (writtenWhileProducing - writtenStart));
        } finally {
            for (SocketChannel s : sockets) {
                s.close();
            }
            Files.deleteIfExists(log);
            Files.delete(dir);
        }
    }

    private static long flusherThreadId() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(Flusher.THREAD_NAME)) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no " + Flusher.THREAD_NAME + " thread");
    }

    /** Opens the loopback connections and tells the Recorder about both ends, as the advice would. */
    private void connect(ServerSocketChannel listener) throws Exception {
        for (int i = 0; i < CONNECTIONS / 2; i++) {
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
            SocketChannel server = listener.accept();
            Recorder.accepted(Api.NIO, server, FastClock.nanoTime());
            sockets.add(client);
            sockets.add(server);
        }
    }

    /** Records reads and writes in batches; with a rate, parks after each batch until the next one is due. */
    private void produce(int first, long ratePerThread) {
        long start = System.nanoTime();
        long done = 0;
        while (running) {
            for (int i = 0; i < BATCH; i++) {
                long n = done + i;
                SocketChannel ch = sockets.get((int) ((n * PRODUCERS + first) % sockets.size()));
                // The advice's clock read on entry; the durations (0.5 to 5.5 us) are fast, so stacks are only sampled.
                long entered = FastClock.nanoTime() - 500 - n % 5000;
                Recorder.transfer(n % 2 == 0 ? Op.WRITE : Op.READ, Api.NIO, ch, entered, 64 + n % 1000);
            }
            done += BATCH;
            produced.add(BATCH);
            if (ratePerThread > 0) {
                long due = start + done * 1_000_000_000L / ratePerThread;
                long ahead = due - System.nanoTime();
                if (ahead > 0) {
                    LockSupport.parkNanos(ahead);
                } else if (ahead < -MAX_LAG_NS) {
                    start -= ahead + MAX_LAG_NS; // the debt beyond MAX_LAG_NS is let go
                }
            }
        }
    }

    private static long arg(String[] args, int i, long otherwise) {
        return args.length > i ? Long.parseLong(args[i]) : otherwise;
    }

    private FlusherThroughput() {
    }
}
