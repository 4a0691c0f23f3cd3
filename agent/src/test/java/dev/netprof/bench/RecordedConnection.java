package dev.netprof.bench;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.nativeprof.CpuCounter;
import dev.netprof.record.Buffers;
import dev.netprof.record.Capture;
import dev.netprof.record.EventBuffer;
import dev.netprof.record.FastClock;
import dev.netprof.record.Recorder;
import dev.netprof.record.StackSampling;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * What the recording-path benchmarks run against: a recording started with netprof's default stack sampling, a
 * loopback connection it knows ({@link #client}), and a drain thread in the flusher's place that hands full buffers
 * straight back to the pool and empties the catalog, so the benchmarks measure the application side only and
 * nothing is dropped for want of a flusher. Its clock is the one the agent would choose on this machine: where the JVM
 * does not read the CPU's counter, netprof's own library reads it, loaded here from the class path (JDK 24+ warns
 * unless the fork has {@code --enable-native-access=ALL-UNNAMED}); the trial's first line says which.
 */
final class RecordedConnection implements AutoCloseable {
    final SocketChannel client;
    final Capture capture;
    private final ServerSocketChannel listener;
    private final SocketChannel server;
    private final Thread drain;
    private volatile boolean running = true;

    RecordedConnection() throws IOException {
        offerCounterAsTheAgentDoes();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        capture = new Capture(FastClock.nanoTime(), 64L << 20, Capture.RECORDS_PER_BUFFER,
            StackSampling.defaults(StackSampling.SAMPLED, StackSampling.DEFAULT_SLOW_NS));
        Recorder.start(capture);
        Recorder.connected(Op.CONNECT, Api.NIO, client, FastClock.nanoTime(), true);
        drain = new Thread(this::drain, "drain");
        drain.setDaemon(true);
        drain.start();
    }

    private static void offerCounterAsTheAgentDoes() {
        String noCounter = FastClock.offer(() -> CpuCounter.open(RecordedConnection.class.getClassLoader()));
        System.out.println("clock: " + FastClock.source() + (noCounter != null ? " (" + noCounter + ")" : ""));
    }

    private void drain() {
        Buffers buffers = capture.buffers;
        while (running) {
            EventBuffer b = buffers.pollFull();
            boolean idle = b == null & capture.catalog.poll() == null;
            if (b != null) {
                buffers.recycle(b);
            }
            if (idle) {
                Thread.onSpinWait();
            }
        }
    }

    /** Stops the drain and the recording, says what was dropped, and closes the connection. */
    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        drain.join();
        Recorder.stop();
        System.out.println("\ndropped events and definitions: " + capture.dropped());
        client.close();
        server.close();
        listener.close();
    }
}
