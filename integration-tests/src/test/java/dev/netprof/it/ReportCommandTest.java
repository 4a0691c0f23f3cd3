package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.flush.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netprof report DIR} refuses what it cannot render with one line and a documented exit code. */
class ReportCommandTest {
    @TempDir
    Path work;

    @Test
    void aMissingDirectoryIsExitCode3() throws Exception {
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "report", work.resolve("nope").toString());
        assertEquals(3, r.exitCode());
        assertEquals("netprof: no such directory: " + work.resolve("nope") + "\n", r.stderr());
    }

    @Test
    void aDirectoryWithoutALogIsExitCode3() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "report", empty.toString());
        assertEquals(3, r.exitCode());
        assertEquals("netprof: " + empty + " has no events.nprof: not a netprof recording\n", r.stderr());
    }

    @Test
    void aFileThatIsNotANetprofLogIsExitCode4() throws Exception {
        Path dir = Files.createDirectories(work.resolve("bogus"));
        Files.writeString(dir.resolve("events.nprof"), "GIF89a not a log at all");
        ChildJvm.Result r = Cli.run(Jdk.JDK25, work, "report", dir.toString());
        assertEquals(4, r.exitCode());
        assertEquals("netprof: " + dir.resolve("events.nprof") + " is not a netprof event log\n", r.stderr());
    }

    @Test
    void aNewerFormatVersionIsExitCode4WithTheFix() throws Exception {
        Path dir = Files.createDirectories(work.resolve("future"));
        byte[] header = {'N', 'P', 'R', 'O', 'F', 0, '\r', '\n', 0, 99};
        Files.write(dir.resolve("events.nprof"), header);
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "report", dir.toString());
        assertEquals(4, r.exitCode());
        assertTrue(r.stderr().endsWith("has event log format 99; this netprof reads up to " + LogFormat.VERSION
            + ": use a newer netprof\n"),
            r.stderr());
        assertEquals(1, r.stderr().lines().count());
    }
}
