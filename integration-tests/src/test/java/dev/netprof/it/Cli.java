package dev.netprof.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real netprof CLI ({@code java -jar netprof.jar ...}) as a child process. */
final class Cli {
    static ChildJvm.Result run(Jdk jdk, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-jar", ChildJvm.NETPROF_JAR.toString()));
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("netprof " + String.join(" ", args) + " did not finish");
        }
        return new ChildJvm.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Cli() {
    }
}
