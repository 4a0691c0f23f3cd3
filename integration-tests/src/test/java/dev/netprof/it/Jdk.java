package dev.netprof.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The JVMs a recorded child runs on: the one running the tests (17) and JDK 25. */
public enum Jdk {
    JDK17(Path.of(System.getProperty("java.home"))),
    JDK25(Path.of(System.getProperty("netprof.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64")));

    private final Path home;

    Jdk(Path home) {
        this.home = home;
    }

    public Path java() {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("no JDK at " + home + " (set -Dnetprof.jdk25)");
        }
        return java;
    }

    public Path home() {
        return home;
    }

    public boolean hasVirtualThreads() {
        return this == JDK25;
    }
}
