package dev.netprof.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where this netprof.jar is, and the java that runs it: what a child JVM or an attach needs. */
final class SelfJar {
    static Path path() throws IOException {
        try {
            Path p = Path.of(SelfJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p)) {
                throw new IOException("netprof is not running from netprof.jar (" + p + "); build it with mvn package");
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private SelfJar() {
    }
}
