package dev.netprof.nativeprof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files netprof's native layer is loaded from: its user's alone, and not left behind by JVMs that died. */
class PrivateTempFileTest {
    @TempDir
    Path tmp;
    private String tmpdir;

    @BeforeEach
    void useTheTestsDirectory() {
        tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
    }

    @AfterEach
    void restore() {
        System.setProperty("java.io.tmpdir", tmpdir);
    }

    @Test
    void aCopyIsNewReadableByItsUserAloneAndHoldsWhatWasRead() throws Exception {
        byte[] bytes = {1, 2, 3, 4, 5};
        Path a = PrivateTempFile.copyOf(new ByteArrayInputStream(bytes), "netprof-test-", ".jar");
        Path b = PrivateTempFile.copyOf(new ByteArrayInputStream(bytes), "netprof-test-", ".jar");
        assertNotEquals(a, b);
        assertEquals(tmp, a.getParent());
        assertArrayEquals(bytes, Files.readAllBytes(a));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
        assertTrue(a.getFileName().toString().startsWith("netprof-test-" + ProcessHandle.current().pid() + "-"), a
            .toString());
    }

    @Test
    void deletesTheFilesOfJvmsThatAreGoneAndKeepsTheRest() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Path gone = Files.createFile(tmp.resolve("netprof-test-" + exited.pid() + "-1-1.jar"));
        Path mine = PrivateTempFile.create("netprof-test-", ".jar");
        Path unnamed = Files.createFile(tmp.resolve("netprof-test-8123456789012345678.jar")); // an older build's
        Path other = Files.createFile(tmp.resolve("netprof-other-" + exited.pid() + "-1-1.jar"));

        PrivateTempFile.deleteLeftOvers("netprof-test-", ".jar");

        assertFalse(Files.exists(gone), "a JVM that exited");
        assertTrue(Files.exists(mine), "this JVM's");
        assertTrue(Files.exists(unnamed), "no pid in its name");
        assertTrue(Files.exists(other), "another prefix");
    }
}
