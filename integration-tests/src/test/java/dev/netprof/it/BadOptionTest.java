package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.netprof.it.workload.HelloWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad option stops netprof with one line naming it; the application runs as if netprof were not there. */
class BadOptionTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "JDK17|colour=blue|netprof: unknown option 'colour' (accepted: out, duration, events, threshold, buffer, "
            + "stacks, syscalls, closewait, http.query, exitwait, hookwait); "
            + "netprof is not recording",
        "JDK25|duration=soon|netprof: bad value 'soon' for option 'duration' (accepted: a duration such as 30s, "
            + "500ms, 5m, 1h); netprof is not recording",
        "JDK17|events=socket,smoke-signals|netprof: bad value 'socket+smoke-signals' for option 'events' (accepted: "
            + "a list of socket, udp, select, tls, http, dns, e.g. events=socket,udp); netprof is not recording"})
    void theApplicationCompletesAndStderrNamesTheKey(Jdk jdk, String options, String line) throws Exception {
        Path out = work.resolve("out");
        ChildJvm.Result r = new ChildJvm(jdk, work).agent("out=" + out + "," + options).main(HelloWorkload.class)
            .run(60);
        assertEquals(0, r.exitCode());
        assertEquals("hello, unharmed\n", r.stdout());
        assertEquals(line + "\n", r.stderr());
        assertFalse(Files.exists(out), "no recording was started");
    }
}
