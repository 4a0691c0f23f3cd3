package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netprof.it.workload.PingPongWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an attach can fail gives one clear line and its documented exit code, and harms no process. */
class AttachErrorsTest {
    @TempDir
    Path work;
    private Process target;

    @AfterEach
    void killTarget() {
        if (target != null) {
            target.destroyForcibly();
        }
    }

    private long startTarget(String... jvmArgs) throws Exception {
        ChildJvm child = new ChildJvm(Jdk.JDK17, work.resolve("target")).main(PingPongWorkload.class, 30);
        for (String a : jvmArgs) {
            child.jvmArg(a);
        }
        target = child.start();
        Thread.sleep(800);
        return target.pid();
    }

    @Test
    void noSuchProcessIsExitCode5() throws Exception {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid++;
        }
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "attach", Long.toString(pid));
        assertEquals(5, r.exitCode());
        assertEquals("netprof: no process with pid " + pid + "\n", r.stderr());
    }

    @Test
    void aProcessThatIsNotAJvmIsExitCode6AndIsNotSignalled() throws Exception {
        // SIGQUIT unblocked and at its default, as a daemon has it (a JVM's children inherit it blocked): it would end
        // this process.
        target = new ProcessBuilder("perl", "-MPOSIX", "-e", "sigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGQUIT));"
            + " $SIG{QUIT} = 'DEFAULT'; sleep 30").start();
        Thread.sleep(200);
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "status", Long.toString(target.pid()));
        assertEquals(6, r.exitCode());
        assertEquals("netprof: pid " + target.pid() + " is not a JVM (/usr/bin/perl)\n", r.stderr());
        assertTrue(target.isAlive(), "JDK 17's attach sends SIGQUIT without checking; netprof must not let it");
    }

    @Test
    void aJvmWithAttachDisabledIsExitCode6WithTheFlagNamed() throws Exception {
        long pid = startTarget("-XX:+DisableAttachMechanism");
        ChildJvm.Result r = Cli.run(Jdk.JDK25, work, "attach", Long.toString(pid));
        assertEquals(6, r.exitCode());
        assertEquals("netprof: pid " + pid + " was started with -XX:+DisableAttachMechanism: it cannot be attached to;"
            + " restart it without that flag\n", r.stderr());
        assertTrue(target.isAlive());
    }

    @Test
    void aRuntimeWithoutJdkAttachIsExitCode7() throws Exception {
        long pid = startTarget();
        List<String> cmd = List.of(Jdk.JDK17.java().toString(), "--limit-modules",
            "java.base,java.instrument,java.management,java.logging", "-jar", ChildJvm.NETPROF_JAR.toString(),
            "status", Long.toString(pid));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(7, p.waitFor());
        assertTrue(out.startsWith("netprof: this Java runtime (") && out.contains("has no jdk.attach module"), out);
        assertEquals(1, out.lines().count(), out);
    }

    @Test
    void aBadOptionIsExitCode2AndTheTargetIsNotTouched() throws Exception {
        long pid = startTarget();
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "attach", Long.toString(pid), "--duration", "1s", "colour=blue");
        assertEquals(2, r.exitCode());
        assertEquals("netprof: unknown option 'colour' (accepted: out, duration, events, threshold, buffer, stacks,"
            + " syscalls, closewait, http.query, exitwait, hookwait); pid " + pid + " was not touched\n", r.stderr());
        assertRunsWithoutNetprof(pid, "the agent was never loaded");
    }

    @Test
    void theAgentsOwnFailureIsExitCode8WithItsMessageAndTheTargetRunsOn() throws Exception {
        long pid = startTarget();
        Path notADirectory = Files.writeString(work.resolve("file"), "");
        ChildJvm.Result r = Cli.run(Jdk.JDK17, work, "start", Long.toString(pid), "--out",
            notADirectory.resolve("out").toString());
        assertEquals(8, r.exitCode());
        assertTrue(r.stderr().startsWith("netprof: in pid " + pid + ": failed to start: "), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertRunsWithoutNetprof(pid, "a refused start leaves no recording");
    }

    private void assertRunsWithoutNetprof(long pid, String why) throws Exception {
        assertTrue(target.isAlive());
        assertEquals("not loaded\n", Cli.run(Jdk.JDK17, work, "status", Long.toString(pid)).stdout(), why);
    }

    @Test
    void startingWhereNetprofRecordsIsExitCode8AndStoppingWhereItDoesNotIsExitCode10() throws Exception {
        long pid = startTarget();
        Path first = work.resolve("r");
        assertEquals(0, Cli.run(Jdk.JDK17, work, "start", Long.toString(pid), "--out", first.toString()).exitCode());
        ChildJvm.Result twice = Cli.run(Jdk.JDK17, work, "start", Long.toString(pid), "--out",
            work.resolve("r2").toString());
        assertEquals(8, twice.exitCode());
        assertEquals("netprof: in pid " + pid + ": already recording into " + first + "; netprof stop " + pid
            + " first\n", twice.stderr());
        assertFalse(Files.exists(work.resolve("r2")), "a refused start creates no output directory");
        assertEquals(0, Cli.run(Jdk.JDK17, work, "stop", Long.toString(pid)).exitCode());
        assertTrue(Files.size(first.resolve("events.nprof")) > 0, "the first recording ran on and was stopped");
        ChildJvm.Result again = Cli.run(Jdk.JDK17, work, "stop", Long.toString(pid));
        assertEquals(10, again.exitCode());
        assertEquals("netprof: in pid " + pid + ": netprof is not recording in this JVM\n", again.stderr());
    }

    @Test
    void aJvmOfAnotherUserIsExitCode6WithTheUserNamed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run the CLI as another user");
        long pid = startTarget();
        Path dir = Files.createDirectories(work.resolve("public"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(ChildJvm.NETPROF_JAR, dir.resolve("netprof.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", Jdk.JDK17.java().toString(), "-jar",
            jar.toString(), "attach", Long.toString(pid)).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(6, p.exitValue(), out);
        assertEquals("netprof: pid " + pid + " is a JVM of user root: run netprof as that user (sudo -u root ./netprof"
            + " ...)\n", out);
    }
}
