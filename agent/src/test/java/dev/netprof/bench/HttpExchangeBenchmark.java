package dev.netprof.bench;

import dev.netprof.record.FastClock;
import dev.netprof.record.HttpRecorder;
import java.net.URI;
import java.net.URL;
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
 * (the JDK HttpClient a {@link URI}, OkHttp a string, HttpURLConnection a {@link URL}). {@link RecordedConnection}'s
 * drain thread empties the event buffers and the catalog, as the flusher would, so that nothing is dropped and the
 * cost of queueing the exchange's definition is in.
 *
 * <p>Run: {@code agent/bench.sh jmh HttpExchangeBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED") // as netprof's native layer has it
public class HttpExchangeBenchmark {
    private static final String TARGET = "http://127.0.0.1:8080/orders/list?page=2";

    private final URI uri = URI.create(TARGET);
    private URL url;
    private RecordedConnection recorded;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        url = uri.toURL();
        recorded = new RecordedConnection();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        recorded.close();
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
        HttpRecorder.exchange("bench", "GET", target, 200, "HTTP/1.1", FastClock.nanoTime(), 0, 64, recorded.client, null,
            null, null);
    }
}
