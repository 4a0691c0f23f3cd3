package dev.netprof.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWriterTest {
    @TempDir
    Path dir;

    /** A block a failure left open is dropped whole, and the blocks after it read as written. */
    @Test
    void anOpenBlockIsDroppedAndWhatFollowsReadsBack() throws Exception {
        Path file = dir.resolve("events.nprof");
        List<String> notes = new ArrayList<>();
        try (LogWriter log = new LogWriter(file)) {
            note(log, "before");
            log.begin(LogFormat.NOTE);
            log.string("half");
            log.dropOpenBlock();
            note(log, "after");
        }
        new LogReader().read(file, new LogVisitor() {
            @Override
            public void note(String kind, String text) {
                notes.add(kind + "=" + text);
            }
        });
        assertEquals(List.of("k=before", "k=after"), notes);
    }

    private static void note(LogWriter log, String text) {
        log.begin(LogFormat.NOTE);
        log.string("k");
        log.string(text);
        log.end();
    }
}
