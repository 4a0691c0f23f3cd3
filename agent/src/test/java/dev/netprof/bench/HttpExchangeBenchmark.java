package dev.netprof.bench;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Buffers;
import dev.netprof.record.Capture;
import dev.netprof.record.EventBuffer;
import dev.netprof.record.HttpRecorder;
import dev.netprof.record.Recorder;
import dev.netprof.record.StackSampling;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one finished HTTP exchange costs the thread that completes it, past the client library's own
 * handles: {@link HttpRecorder#exchange} on a connection netprof knows, with the URI as each client hands it over
 * (the JDK HttpClient a {@link URI}, OkHttp a string, HttpURLConnection a {@link URL}). A drain thread empties the
 * event buffers and the catalog, as the flusher would, so that nothing is dropped and the cost of queueing the
 * exchange's definition is in.
 *
 * <p>Run: {@code agent/bench.sh jmh HttpExchangeBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpExchangeBenchmark {
    private static final String TARGET = "http://127.0.0.1:8080/orders/list?page=2";

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private Capture capture;
    private Thread drain;
    private volatile boolean running;
    private final URI uri = URI.create(TARGET);
    private URL url;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        url = uri.toURL();
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        capture = new Capture(System.nanoTime(), 64L << 20, Capture.RECORDS_PER_BUFFER,
            StackSampling.defaults(StackSampling.SAMPLED, StackSampling.DEFAULT_SLOW_NS));
        Recorder.start(capture);
        Recorder.connected(Op.CONNECT, Api.NIO, client, System.nanoTime(), true);
        running = true;
        drain = new Thread(() -> {
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
        }, "drain");
        drain.setDaemon(true);
        drain.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running = false;
        drain.join();
        Recorder.stop();
        System.out.println("\ndropped events and definitions: " + capture.dropped());
        client.close();
        server.close();
        listener.close();
    }

    @Benchmark
    public void asUri() {
        exchange(uri);
    }

    /** A new string each time, as OkHttp's {@code request.url().toString()} of a new request gives. */
    @Benchmark
    public void asString() {
        exchange(new String(TARGET));
    }

    @Benchmark
    public void asUrl() {
        exchange(url);
    }

    private void exchange(Object target) {
        HttpRecorder.exchange("bench", "GET", target, 200, "HTTP/1.1", System.nanoTime(), 0, 64, client, null, null,
            null);
    }
}
