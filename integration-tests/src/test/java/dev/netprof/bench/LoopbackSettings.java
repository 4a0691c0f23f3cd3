package dev.netprof.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@link LoopbackBenchmark}'s command line. */
record LoopbackSettings(List<Integer> jdks, List<String> workloads, List<ProfilerConfig> configs, int rounds,
                        double warmupSeconds, double measureSeconds, boolean sliced, int roundsPerJvm, Path out,
                        String commandLine) {
    static final String USAGE = "usage: LoopbackBenchmark [--jdks 17,25]"
        + " [--workloads pingpong,nio,bulk,http,tls(,connect)]"
        + " [--configs none,netprof,netprof-syscalls,jfr-stacks,jfr-nostacks(,netprof-socket,netprof-baseline)]"
        + " [--rounds 6] [--warmup 4] [--seconds 3]"
        + " [--method runs|slices] [--rounds-per-jvm 6 (slices only)]"
        + " [--out target/loopback-results.md]";

    static LoopbackSettings parse(String... args) {
        String jdks = "17,25";
        String workloads = "pingpong,nio,bulk,http,tls";
        String configs = "none,netprof,netprof-syscalls,jfr-stacks,jfr-nostacks";
        String rounds = "6";
        // The least warm-up; it goes on until the JIT has settled (LoopbackWorkload.settle).
        String warmup = "4";
        String seconds = "3";
        String method = "runs";
        String roundsPerJvm = "6";
        String out = "target/loopback-results.md";
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--jdks":
                    jdks = value;
                    break;
                case "--workloads":
                    workloads = value;
                    break;
                case "--configs":
                    configs = value;
                    break;
                case "--rounds":
                    rounds = value;
                    break;
                case "--warmup":
                    warmup = value;
                    break;
                case "--seconds":
                    seconds = value;
                    break;
                case "--method":
                    method = value;
                    break;
                case "--rounds-per-jvm":
                    roundsPerJvm = value;
                    break;
                case "--out":
                    out = value;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Integer> jdkList = new ArrayList<>();
        for (String jdk : list(jdks)) {
            jdkList.add(Integer.parseInt(jdk));
        }
        List<String> workloadList = list(workloads);
        for (String w : workloadList) {
            LoopbackWorkload.unit(w); // fails on an unknown name now rather than in the first child
        }
        List<ProfilerConfig> configList = new ArrayList<>();
        for (String c : list(configs)) {
            configList.add(ProfilerConfig.of(c));
        }
        if (configList.contains(ProfilerConfig.NETPROF_BASELINE)) {
            ProfilerConfig.baselineJar();
        }
        if (!configList.contains(ProfilerConfig.NONE)) {
            throw new IllegalArgumentException("--configs must include none: every ratio is against it");
        }
        int roundCount = Integer.parseInt(rounds);
        if (roundCount < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        if (!method.equals("runs") && !method.equals("slices")) {
            throw new IllegalArgumentException("--method is runs or slices");
        }
        int perJvm = Integer.parseInt(roundsPerJvm);
        if (perJvm < 1) {
            throw new IllegalArgumentException("--rounds-per-jvm must be at least 1");
        }
        return new LoopbackSettings(jdkList, workloadList, configList, roundCount, Double.parseDouble(warmup),
            Double.parseDouble(seconds), method.equals("slices"), perJvm, Path.of(out), String.join(" ", args));
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.asList(commaSeparated.split(","));
    }
}
