package dev.netprof.bench;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.FastClock;
import dev.netprof.record.Recorder;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * What an application thread pays per recorded read or write: {@link Recorder#transfer} on a connected socket,
 * plus the clock read the advice does on entry. A drain thread hands full buffers straight back to the pool, so
 * the benchmark measures the application side only (the flusher's own throughput is measured separately).
 * {@code clockOnly} is the floor: the two clock reads any timing of an operation needs ({@link FastClock}). The
 * {@code cold} variants first evict the L1 data cache, as the kernel's network stack does between two of a
 * thread's operations: {@code coldRead} minus {@code coldClock} is what the recording costs with its loads missing L1.
 * The clock is the one the agent would choose on this machine ({@link RecordedConnection}).
 *
 * <p>Run: {@code agent/bench.sh jmh RecorderBenchmark -prof gc}. Expect {@code gc.alloc.rate.norm} = 0 B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// As the agent exports the package, and as its native layer has native access (JDK 24+ warns without it).
@Fork(value = 1, jvmArgsAppend = {"--add-exports=jdk.jfr/jdk.jfr.internal=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class RecorderBenchmark {
    private RecordedConnection recorded;
    private SocketChannel client;
    private final Set<Object> registered = ConcurrentHashMap.newKeySet();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        recorded = new RecordedConnection();
        client = recorded.client;
        registered.add(client); // a selector's keys, as SelectorImpl keeps them
        registered.add(recorded);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        recorded.close();
    }

    @Benchmark
    public void recordRead() {
        long start = FastClock.nanoTime();
        Recorder.transfer(Op.READ, Api.NIO, client, start, 64);
    }

    /** A socket adaptor's stream read: {@link #recordRead} and where the read ended in its array, kept per carrier. */
    @Benchmark
    public void recordAdaptorRead() {
        long start = FastClock.nanoTime();
        Recorder.readTo(64);
        Recorder.transfer(Op.READ, Api.NIO, client, start, 64);
    }

    /**
     * A select's event: its selector's identity hash rides in the event (threads taking turns on one selector), and
     * the size of its set of registered keys, read as the advice reads it.
     */
    @Benchmark
    public void recordSelect() {
        long start = FastClock.nanoTime();
        Recorder.selected(start, 1, registered.size(), client);
    }

    @Benchmark
    public long clockOnly() {
        long start = FastClock.nanoTime();
        return FastClock.nanoTime() - start;
    }

    /** What {@code clockOnly} cost before {@link FastClock}, and costs where the JVM does not count the CPU's ticks. */
    @Benchmark
    public long nanoTimeOnly() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }

    @Benchmark
    public long coldRead(L1Eviction l1) {
        long walked = l1.evict();
        long start = FastClock.nanoTime();
        Recorder.transfer(Op.READ, Api.NIO, client, start, 64);
        return walked;
    }

    @Benchmark
    public long coldClock(L1Eviction l1) {
        long walked = l1.evict();
        long start = FastClock.nanoTime();
        return walked + FastClock.nanoTime() - start;
    }

    /** Writes a line in every 64 bytes of 64 KB, twice the L1 data cache of this machine's cores. */
    @State(Scope.Thread)
    public static class L1Eviction {
        private final long[] lines = new long[64 * 1024 / Long.BYTES];

        long evict() {
            long sum = 0;
            for (int i = 0; i < lines.length; i += 64 / Long.BYTES) {
                sum += lines[i]++;
            }
            return sum;
        }
    }
}
