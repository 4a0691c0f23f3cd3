package dev.netprof.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The rates one workload reached on one JDK, per config and round. Ratios are taken pairwise within a round
 * (config / none of the same round), so a slow spell of the machine affects both sides of a ratio alike; the median
 * over rounds then discards the odd round.
 */
final class WorkloadResults {
    private static final int BOOTSTRAP_RESAMPLES = 4000;
    private final Map<ProfilerConfig, List<Double>> rates = new EnumMap<>(ProfilerConfig.class);
    /** Per config over its measured phases: units done, user CPU ns, system CPU ns (sliced runs only). */
    private final Map<ProfilerConfig, double[]> cpu = new EnumMap<>(ProfilerConfig.class);
    /** Turns measured in a JVM whose warm-up gave up with the JIT still compiling. */
    private final Map<ProfilerConfig, Integer> unsettled = new EnumMap<>(ProfilerConfig.class);

    void add(ProfilerConfig config, double rate) {
        rates.computeIfAbsent(config, c -> new ArrayList<>()).add(rate);
    }

    void addUnsettled(ProfilerConfig config) {
        unsettled.merge(config, 1, Integer::sum);
    }

    int unsettled(ProfilerConfig config) {
        return unsettled.getOrDefault(config, 0);
    }

    void addCpu(ProfilerConfig config, double units, long userNs, long systemNs) {
        double[] sums = cpu.computeIfAbsent(config, c -> new double[3]);
        sums[0] += units;
        sums[1] += userNs;
        sums[2] += systemNs;
    }

    /**
     * {user, system} CPU ns per unit over all measured phases, or null when not measured. Summed rather than a median
     * per phase: a phase's CPU time is read in clock ticks (10 ms), too coarse for one phase.
     */
    double[] cpuNsPerUnit(ProfilerConfig config) {
        double[] sums = cpu.get(config);
        return sums == null || sums[0] == 0 ? null : new double[] {sums[1] / sums[0], sums[2] / sums[0]};
    }

    List<Double> rates(ProfilerConfig config) {
        return rates.getOrDefault(config, List.of());
    }

    /** config / none for each round so far. */
    List<Double> ratios(ProfilerConfig config) {
        List<Double> base = rates(ProfilerConfig.NONE);
        List<Double> with = rates(config);
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < Math.min(base.size(), with.size()); round++) {
            ratios.add(with.get(round) / base.get(round));
        }
        return ratios;
    }

    double medianRatio(ProfilerConfig config) {
        return median(ratios(config));
    }

    /**
     * A 90% bootstrap interval of {@link #medianRatio}: the 5th and 95th percentiles of the median over 4,000
     * resamplings of the rounds (a fixed seed, so a results file reads the same on every render). It says how far
     * the median could move with other rounds of the same machine, which single rounds, spread over several points
     * here, do not.
     */
    double[] ratioInterval(ProfilerConfig config) {
        List<Double> ratios = ratios(config);
        Random random = new Random(1);
        double[] medians = new double[BOOTSTRAP_RESAMPLES];
        List<Double> resample = new ArrayList<>(ratios.size());
        for (int i = 0; i < medians.length; i++) {
            resample.clear();
            for (int k = 0; k < ratios.size(); k++) {
                resample.add(ratios.get(random.nextInt(ratios.size())));
            }
            medians[i] = median(resample);
        }
        Arrays.sort(medians);
        return new double[] {medians[medians.length / 20], medians[medians.length - 1 - medians.length / 20]};
    }

    double medianRate(ProfilerConfig config) {
        return median(rates(config));
    }

    /** The median and, with more than one value, their range in brackets, each in {@code format}. */
    static String medianAndRange(List<Double> values, String format) {
        String m = String.format(Locale.ROOT, format, median(values));
        return values.size() == 1 ? m : m + " (" + String.format(Locale.ROOT, format, Collections.min(values)) + "-"
            + String.format(Locale.ROOT, format, Collections.max(values)) + ")";
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
