package dev.netprof.agent;

import dev.netprof.instrument.Family;
import dev.netprof.record.StackSampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's options: {@code key=value,key=value}, the same string for {@code -javaagent:} and {@code attach}.
 * Parsing never touches the recording classes, so a bad option stops netprof before anything is instrumented.
 */
public final class Options {
    /** An option netprof cannot accept; the message is the one line printed on stderr. */
    public static final class BadOption extends Exception {
        BadOption(String message) {
            super(message);
        }
    }

    private static final Map<String, String> ACCEPTED = new LinkedHashMap<>();
    /** stacks= values, indexed by {@link StackSampling}'s mode numbers. */
    static final List<String> STACK_MODES = List.of("off", "sampled", "all");

    static {
        ACCEPTED.put("out", "a directory");
        ACCEPTED.put("duration", "a duration such as 30s, 500ms, 5m, 1h");
        ACCEPTED.put("events", "a list of socket, udp, select, tls, http, dns, e.g. events=socket,udp");
        ACCEPTED.put("threshold", "a duration such as 0, 100us, 2ms, 1s");
        ACCEPTED.put("buffer", "a size such as 512k, 32m, 1g (at least 64k)");
        ACCEPTED.put("stacks", "off, sampled or all");
        ACCEPTED.put("syscalls", "off, on, kernel or tracepoint:<category:name>, e.g. tracepoint:syscalls:sys_enter_write");
        ACCEPTED.put("closewait", "a duration such as 5s, 500ms");
        ACCEPTED.put("http.query", "keep or drop");
        ACCEPTED.put("exitwait", "a duration such as 30s, 2m, or 0 (not rendered at exit: netprof report renders it)");
        ACCEPTED.put("hookwait", "a duration such as 10s, 500ms, or 0 (stop beside the application's shutdown hooks)");
    }

    private static final long MIN_BUFFER_BYTES = 64 << 10;

    public Path out;
    /** 0: record until the JVM exits. */
    public long durationNs;
    public Set<Family> events = EnumSet.allOf(Family.class);
    /** Operations that succeed faster than this are written as per-connection aggregates, not one by one. */
    public long thresholdNs;
    public long bufferBytes = 32L << 20;
    /** The buffer= value as given, or null for the default. */
    private String bufferGiven;
    /** Which reads and writes get a Java stack: {@link StackSampling#OFF}, SAMPLED or ALL. */
    public int stacks = StackSampling.SAMPLED;
    /** A peer-closed connection the application keeps open this long is reported as a CLOSE_WAIT finding. */
    public long closeWaitNs = 5_000_000_000L;
    /** Whether recorded HTTP URIs keep their query string (they often carry tokens). */
    public boolean keepQuery;
    /**
     * Until how long after the JVM's exit began a -javaagent recording's outputs may render (after the wait for the
     * application's hooks); 0: they are not rendered. 20 s leaves a third of Kubernetes' default 30 s grace period.
     */
    public long exitWaitNs = 20_000_000_000L;
    /** How long the stop at the JVM's exit waits for the application's own shutdown hooks to end; 0: it does not. */
    public long hookWaitNs = 10_000_000_000L;
    /** async-profiler sampling beside the recording: off, on, kernel, tracepoint:<name>. */
    public String syscalls = "off";
    /** The string the options were parsed from, for the log's header. */
    public String text = "";

    public static Options parse(String args) throws BadOption {
        Options o = new Options();
        o.text = args == null ? "" : args.trim();
        if (o.text.isEmpty()) {
            return o;
        }
        Map<String, String> values = new LinkedHashMap<>();
        String last = null;
        for (String pair : o.text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 0 && "events".equals(last)) {
                // events=socket,udp: a bare word after a list option continues the list.
                values.merge(last, pair.trim(), (a, b) -> a + "+" + b);
                continue;
            }
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
            if (!ACCEPTED.containsKey(key)) {
                throw new BadOption("unknown option '" + key + "' (accepted: " + String.join(", ", ACCEPTED.keySet())
                    + ")");
            }
            values.put(key, eq < 0 ? "" : pair.substring(eq + 1).trim());
            last = key;
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            try {
                o.set(e.getKey(), e.getValue());
            } catch (IllegalArgumentException x) {
                throw new BadOption("bad value '" + e.getValue() + "' for option '" + e.getKey() + "' (accepted: "
                    + ACCEPTED.get(e.getKey()) + ")");
            }
        }
        return o;
    }

    private void set(String key, String value) {
        switch (key) {
            case "out":
                if (value.isEmpty()) {
                    throw new IllegalArgumentException();
                }
                out = Path.of(value);
                break;
            case "duration":
                durationNs = duration(value);
                if (durationNs <= 0) {
                    throw new IllegalArgumentException();
                }
                break;
            case "events":
                events = families(value);
                break;
            case "threshold":
                thresholdNs = duration(value);
                break;
            case "buffer":
                bufferGiven = value;
                bufferBytes = size(value);
                if (bufferBytes < MIN_BUFFER_BYTES) {
                    throw new IllegalArgumentException();
                }
                break;
            case "http.query":
                if (!value.equals("keep") && !value.equals("drop")) {
                    throw new IllegalArgumentException(value);
                }
                keepQuery = value.equals("keep");
                break;
            case "closewait":
                closeWaitNs = duration(value);
                break;
            case "exitwait":
                exitWaitNs = duration(value);
                break;
            case "hookwait":
                hookWaitNs = duration(value);
                break;
            case "syscalls":
                if (!(value.equals("off") || value.equals("on") || value.equals("kernel")
                    || value.matches("tracepoint:[A-Za-z0-9_]+:[A-Za-z0-9_]+|tracepoint:trace:[0-9]+"))) {
                    throw new IllegalArgumentException(value);
                }
                syscalls = value;
                break;
            case "stacks":
                stacks = STACK_MODES.indexOf(value);
                if (stacks < 0) {
                    throw new IllegalArgumentException();
                }
                break;
            default:
                throw new IllegalStateException(key);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg])?");

    /** {@code 0}, {@code 250us}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    public static long duration(String s) {
        Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(s);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ns": return n;
            case "us": return TimeUnit.MICROSECONDS.toNanos(n);
            case "ms": return TimeUnit.MILLISECONDS.toNanos(n);
            case "s": return TimeUnit.SECONDS.toNanos(n);
            case "m": return TimeUnit.MINUTES.toNanos(n);
            default: return TimeUnit.HOURS.toNanos(n);
        }
    }

    /** {@code 65536}, {@code 512k}, {@code 32m}, {@code 1g}. */
    static long size(String s) {
        Matcher m = SIZE.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(s);
        }
        int shift = m.group(2) == null ? 0 : "kmg".indexOf(m.group(2)) * 10 + 10;
        long n = Long.parseLong(m.group(1));
        if (n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException(s); // shifted, it would wrap to a small or negative size
        }
        return n << shift;
    }

    /**
     * The buffers are allocated on the application's heap, so they may take at most a quarter of it: a buffer= past
     * that is refused, and the default shrinks to fit (a 64 MB heap records into 16 MB).
     */
    public void fitHeap(long maxHeapBytes) throws BadOption {
        long quarter = maxHeapBytes / 4;
        if (bufferBytes <= quarter) {
            return;
        }
        if (bufferGiven != null) {
            throw new BadOption("buffer=" + bufferGiven + " is more than a quarter of this JVM's heap ("
                + (maxHeapBytes >> 20) + " MB), which netprof's buffers come out of");
        }
        bufferBytes = Math.max(MIN_BUFFER_BYTES, quarter);
    }

    private static Set<Family> families(String s) {
        Set<Family> out = EnumSet.noneOf(Family.class);
        for (String f : s.split("[+ ]")) {
            if (!f.isBlank()) {
                out.add(Family.valueOf(f.trim().toUpperCase(Locale.ROOT)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException();
        }
        return out;
    }

    public List<String> familyNames() {
        List<String> names = new ArrayList<>();
        for (Family f : events) {
            names.add(f.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
