package dev.netprof.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link LoopbackBenchmark}'s results as markdown: a table of median throughput ratios per JDK, and for the
 * results file also the machine, the JDKs, the settings and every rate measured, so a reader can judge the spread.
 */
final class LoopbackReport {
    private final LoopbackSettings settings;
    private final Map<TargetJdk, Map<String, WorkloadResults>> results = new LinkedHashMap<>();

    LoopbackReport(LoopbackSettings settings) {
        this.settings = settings;
    }

    void add(TargetJdk jdk, String workload, WorkloadResults r) {
        results.computeIfAbsent(jdk, j -> new LinkedHashMap<>()).put(workload, r);
    }

    /** Rows: workloads; columns: the median absolute rate without an agent, then each config's median ratio. */
    String tables() {
        StringBuilder md = new StringBuilder();
        results.forEach((jdk, byWorkload) -> {
            md.append("### ").append(jdk).append("\n\n| workload | none |");
            StringBuilder rule = new StringBuilder("|---|---:|");
            for (ProfilerConfig c : measuredConfigs()) {
                md.append(' ').append(c.label).append(" |");
                rule.append("---:|");
            }
            md.append('\n').append(rule).append('\n');
            byWorkload.forEach((workload, r) -> {
                md.append("| ").append(workload).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f %s", r.medianRate(ProfilerConfig.NONE),
                        LoopbackWorkload.unit(workload))).append(" |");
                for (ProfilerConfig c : measuredConfigs()) {
                    double[] interval = r.ratioInterval(c);
                    md.append(String.format(Locale.ROOT, " %.3f (%.3f-%.3f) |", r.medianRatio(c), interval[0],
                        interval[1]));
                }
                md.append('\n');
            });
            md.append('\n');
            md.append(unsettled(byWorkload));
            if (settings.sliced()) {
                md.append(cpuTable(byWorkload));
            }
        });
        return md.toString();
    }

    /** The turns measured in JVMs whose warm-up gave up with the JIT still compiling, if there were any. */
    private String unsettled(Map<String, WorkloadResults> byWorkload) {
        StringBuilder turns = new StringBuilder();
        byWorkload.forEach((workload, r) -> {
            for (ProfilerConfig c : settings.configs()) {
                if (r.unsettled(c) > 0) {
                    turns.append(turns.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %s %d of %d",
                        workload, c.label, r.unsettled(c), r.rates(c).size()));
                }
            }
        });
        return turns.length() == 0 ? "" : "Measured with the JIT still compiling after "
            + LoopbackWorkload.MAX_WARMUP_NS / 1_000_000_000L + " s of warm-up (those turns are in the cells): "
            + turns + ".\n\n";
    }

    /**
     * Sliced runs only: the CPU time all of a child's threads took per unit of work, user + system, summed over its
     * measured phases. Where a ratio moves, this says whether the time went to code in user space (the
     * application's and the recorder's alike) or to the kernel.
     */
    private String cpuTable(Map<String, WorkloadResults> byWorkload) {
        StringBuilder md = new StringBuilder("CPU per unit of work (a round trip, GET, MiB or connection, as its rate"
            + " counts), µs, user + system:\n\n| workload |");
        StringBuilder rule = new StringBuilder("|---|");
        for (ProfilerConfig c : settings.configs()) {
            md.append(' ').append(c.label).append(" |");
            rule.append("---:|");
        }
        md.append('\n').append(rule).append('\n');
        byWorkload.forEach((workload, r) -> {
            md.append("| ").append(workload).append(" |");
            for (ProfilerConfig c : settings.configs()) {
                double[] ns = r.cpuNsPerUnit(c);
                md.append(ns == null ? " |" : String.format(Locale.ROOT, " %.2f + %.2f |", ns[0] / 1000,
                    ns[1] / 1000));
            }
            md.append('\n');
        });
        return md.append('\n').toString();
    }

    String document() throws IOException {
        StringBuilder md = new StringBuilder("# Loopback overhead: netprof and JFR against no agent\n\n");
        md.append(dateAndMachine());
        for (TargetJdk jdk : results.keySet()) {
            md.append("- ").append(jdk).append(": ").append(jdk.version()).append('\n');
        }
        md.append("- command: `LoopbackBenchmark ").append(settings.commandLine()).append("`\n");
        String warmup = seconds(settings.warmupSeconds()) + " s warm-up or more, until the JIT's compiler threads "
            + "used less than " + LoopbackWorkload.SETTLED_COMPILE_MS_PER_S + " ms of CPU in each of "
            + LoopbackWorkload.SETTLED_SECONDS + " seconds running";
        String measured = seconds(settings.measureSeconds()) + " s measured";
        if (settings.sliced()) {
            md.append("- method: slices. Rounds: ").append(settings.rounds()).append("; a round gives every config"
                + " one turn of ").append(measured).append(" while the others' JVMs stay stopped (SIGSTOP), the order"
                + " rotated by one config every round; each config's JVM is warmed up once (").append(warmup)
                .append(") and replaced by a fresh one every ").append(settings.roundsPerJvm()).append(" rounds\n");
        } else {
            md.append("- method: runs. Rounds: ").append(settings.rounds()).append("; per round every config once,"
                + " each a fresh JVM, the order rotated by one config every round: ").append(warmup).append(", then ")
                .append(measured).append('\n');
        }
        md.append("- every workload pinned to one CPU (`taskset -c ").append(LoopbackBenchmark.PINNED_CPU).append("`)\n");
        md.append("- configs:\n");
        for (ProfilerConfig c : settings.configs()) {
            md.append("  - ").append(c.label).append(": ").append(c.description).append('\n');
        }
        md.append("\nEach cell is the median over rounds of (rate with the config) / (rate with no agent in the same"
            + " round): 1.000 is no overhead, 0.800 is 20% fewer operations per second; in brackets, its 90% bootstrap"
            + " interval. `none` is the median rate without an agent.\n\n");
        md.append(tables());
        md.append("## Every rate measured\n\n| JDK | workload | config | rate per round |\n|---|---|---|---|\n");
        results.forEach((jdk, byWorkload) -> byWorkload.forEach((workload, r) -> {
            for (ProfilerConfig c : settings.configs()) {
                StringBuilder rates = new StringBuilder();
                for (double rate : r.rates(c)) {
                    rates.append(rates.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", rate));
                }
                md.append("| ").append(jdk.release()).append(" | ").append(workload).append(" | ").append(c.label)
                    .append(" | ").append(rates).append(" |\n");
            }
        }));
        return md.toString();
    }

    private List<ProfilerConfig> measuredConfigs() {
        return settings.configs().stream().filter(c -> c != ProfilerConfig.NONE).toList();
    }

    /** A results file's first lines: when, and on what. */
    static String dateAndMachine() throws IOException {
        return "- date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME) + "\n- machine: "
            + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel() + "), Linux "
            + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip() + "\n";
    }

    private static String seconds(double s) {
        return BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
    }

    private static String cpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "CPU model unknown";
    }
}
