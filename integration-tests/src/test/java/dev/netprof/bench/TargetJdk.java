package dev.netprof.bench;

import dev.netprof.it.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK the benchmark runs children on, checked to be the release asked for (17 resolves to the JDK running the
 * benchmark, which must then be a 17), with its full version for the report and its JFR settings files.
 */
record TargetJdk(int release, Path java, String version, Path jfcStacks, Path jfcNoStacks) {
    private static final Pattern RELEASE = Pattern.compile("version \"(\\d+)");

    /** Resolves {@code --jdks} entry {@code release} and writes its .jfc files into {@code work}. */
    static TargetJdk prepare(int release, Path work) throws IOException, InterruptedException {
        Jdk jdk;
        try {
            jdk = Jdk.valueOf("JDK" + release);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JDK " + release + ": only 17 and 25 are known (see dev.netprof.it.Jdk)");
        }
        String version = version(jdk.java());
        Matcher m = RELEASE.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) != release) {
            throw new IllegalStateException(jdk.java() + " is not JDK " + release + ": " + version);
        }
        Path stacks = work.resolve("jdk" + release + "-stacks.jfc");
        Path noStacks = work.resolve("jdk" + release + "-nostacks.jfc");
        JfrSettings.write(jdk.home(), true, stacks);
        JfrSettings.write(jdk.home(), false, noStacks);
        return new TargetJdk(release, jdk.java(), version, stacks, noStacks);
    }

    /** The first two lines of {@code java -version}: release and build. */
    private static String version(Path java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor(30, TimeUnit.SECONDS);
        return String.join(", ", lines.subList(0, Math.min(2, lines.size())));
    }

    @Override
    public String toString() {
        return "JDK " + release;
    }
}
