package dev.netprof.nativeprof;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file in the temporary directory that only this JVM's user can read or write, for a jar or a library to be loaded
 * from (Linux only, where netprof's native code runs). Named by this JVM's pid and clock, so that the next JVM can
 * tell a killed JVM's file from a running one's ({@link #deleteLeftOvers}), and created exclusively (O_EXCL: a name
 * another user took first, or a link to elsewhere, fails rather than being written through). Not
 * {@code Files.createTempFile}, whose random name seeds the JVM's SecureRandom on first use (~35 ms of CPU in a fresh
 * JVM) for a name that need only be unique, and not {@code Files.copy} over such a file, which replaces it with one
 * any user can read.
 */
final class PrivateTempFile {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A new, empty file named {@code prefix}, this JVM's pid, its clock, then {@code suffix}. */
    static Path create(String prefix, String suffix) throws IOException {
        String name = prefix + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
            + SEQUENCE.incrementAndGet() + suffix;
        return Files.createFile(Path.of(System.getProperty("java.io.tmpdir"), name), OWNER_ONLY);
    }

    /**
     * Deletes the files {@link #create} named with {@code prefix} and {@code suffix} for JVMs no longer running: a JVM
     * killed, or halted, before its delete-on-exit ran leaves its file behind. Another user's, or a running JVM's, stay.
     */
    static void deleteLeftOvers(String prefix, String suffix) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
            prefix + "*" + suffix)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int end = name.indexOf('-', prefix.length());
                long pid = end < 0 ? -1 : parsePid(name.substring(prefix.length(), end));
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Left for the next JVM to try: the files are in the temporary directory, and the recording needs none.
        }
    }

    /** One file: another user's, where /proc hides their processes, is theirs to delete. */
    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // As above.
        }
    }

    private static long parsePid(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A new file holding what {@code in} reads; none is left if the copy fails. */
    static Path copyOf(InputStream in, String prefix, String suffix) throws IOException {
        Path file = create(prefix, suffix);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    private PrivateTempFile() {
    }
}
