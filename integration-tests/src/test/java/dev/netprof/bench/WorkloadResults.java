package dev.netprof.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rates one workload reached on one JDK, per config and round. Ratios are taken pairwise within a round
 * (config / none of the same round), so a slow spell of the machine affects both sides of a ratio alike; the median
 * over rounds then discards the odd round.
 */
final class WorkloadResults {
    private final Map<ProfilerConfig, List<Double>> rates = new EnumMap<>(ProfilerConfig.class);

    void add(ProfilerConfig config, double rate) {
        rates.computeIfAbsent(config, c -> new ArrayList<>()).add(rate);
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

    double medianRate(ProfilerConfig config) {
        return median(rates(config));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
