package dev.netprof.render;

import dev.netprof.event.Op;
import dev.netprof.nativeprof.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs async-profiler's samples with the network operation that was running on the same OS thread at the same
 * instant: a sample whose time lies inside an operation's [start, end] on the operation's OS thread belongs to it
 * (the innermost one, when operations nest). Samples and operations carry times on the same timeline
 * (System.nanoTime's, which the recorder's FastClock keeps to within about a microsecond) and the same OS thread
 * ids (a virtual thread's operations carry its carrier's), so no conversion is needed.
 *
 * <p>It streams: the samples are indexed per thread, sorted by time, before the second pass over the log; each
 * operation then claims its samples by binary search, so no operation is kept in memory.
 */
final class SamplePairing implements LogVisitor {
    /** Java frames of the JDK's socket code: below them, a native or kernel leaf is a sample in socket code. */
    private static final String[] SOCKET_CODE = {"sun/nio/ch/NioSocketImpl.", "sun/nio/ch/SocketChannelImpl.",
        "sun/nio/ch/ServerSocketChannelImpl.", "sun/nio/ch/DatagramChannelImpl.", "sun/nio/ch/SocketDispatcher.",
        "sun/nio/ch/DatagramDispatcher.", "sun/nio/ch/Net."};

    final List<Samples.Sample> samples;
    final List<String> modes;
    final boolean pairable;
    /** Per sample: the op code of the operation it belongs to, or 0 for none. */
    final int[] op;
    final long[] connection;
    private final long[] opDuration;
    /** Per OS thread: indices of its samples, sorted by time. */
    private final Map<Integer, int[]> byThread = new HashMap<>();
    private final long startedNs;

    private SamplePairing(Samples.Set set, long startedNs) {
        this.samples = set.samples();
        this.modes = set.modes();
        this.pairable = set.pairable();
        this.startedNs = startedNs;
        int n = samples.size();
        op = new int[n];
        connection = new long[n];
        opDuration = new long[n];
        Map<Integer, List<Integer>> lists = new HashMap<>();
        for (int i = 0; i < n; i++) {
            lists.computeIfAbsent(samples.get(i).osTid(), t -> new ArrayList<>()).add(i);
        }
        lists.forEach((tid, idx) -> {
            idx.sort((a, b) -> Long.compare(samples.get(a).timeNs(), samples.get(b).timeNs()));
            byThread.put(tid, idx.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    /** The recording's samples, or null when it has none (sampling was off). */
    static SamplePairing of(Path dir, long startedNs) throws IOException {
        Samples.Set samples = Samples.read(dir);
        return samples.modes().isEmpty() ? null : new SamplePairing(samples, startedNs);
    }

    @Override
    public void event(int osTid, int opCode, int outcome, long thread, long start, long duration, long conn,
                      long bytes, int ref, int stack) {
        int[] idx = byThread.get(osTid);
        if (idx == null || !pairable || start < startedNs || Op.isCounter(opCode)) {
            return;
        }
        long end = start + duration;
        int lo = 0, hi = idx.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (samples.get(idx[mid]).timeNs() < start) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int k = lo; k < idx.length && samples.get(idx[k]).timeNs() <= end; k++) {
            int s = idx[k];
            if (op[s] == 0 || duration < opDuration[s]) {
                op[s] = opCode;
                connection[s] = conn;
                opDuration[s] = duration;
            }
        }
    }

    /** True when the sample's leaf is native or kernel code below one of the JDK's socket classes. */
    static boolean inSocketCode(Samples.Sample s) {
        if (s.types().length == 0 || Samples.isJava(s.types()[0])) {
            return false;
        }
        for (String f : s.frames()) {
            for (String c : SOCKET_CODE) {
                if (f.startsWith(c)) {
                    return true;
                }
            }
        }
        return false;
    }
}
