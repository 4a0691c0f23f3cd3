package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netprof.event.Op;
import dev.netprof.it.workload.VirtualThreadWorkload;
import dev.netprof.render.LogReader;
import dev.netprof.render.LogVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Virtual threads doing blocking socket I/O are recorded under their own ids, with exact bytes (JDK 25). */
class VirtualThreadTest {
    @TempDir
    Path work;

    @Test
    void socketIoOnVirtualThreadsIsRecordedUnderTheVirtualThreadIds() throws Exception {
        Path truthFile = work.resolve("truth.jsonl");
        Path idsFile = work.resolve("threads.txt");
        ChildJvm child = new ChildJvm(Jdk.JDK25, work).agent("").main(VirtualThreadWorkload.class, truthFile, idsFile);
        child.run(120).assertSucceeded();

        Summary summary = Summary.read(child.out());
        ObjectMapper json = new ObjectMapper();
        int sides = 0;
        for (String line : Files.readAllLines(truthFile)) {
            JsonNode t = json.readTree(line);
            JsonNode c = summary.connection("tcp", t.get("local").asText(), t.get("remote").asText());
            assertEquals(t.get("read").asLong(), c.get("bytesRead").asLong(), t.toString());
            assertEquals(t.get("written").asLong(), c.get("bytesWritten").asLong(), t.toString());
            sides++;
        }
        assertEquals(2 * 40, sides);
        assertEquals(2 * 40, summary.connections().size());

        Set<Long> virtualIds = new HashSet<>();
        for (String id : Files.readAllLines(idsFile)) {
            virtualIds.add(Long.parseLong(id));
        }
        Set<Long> readWriteThreads = new HashSet<>();
        int[] withoutTid = {0};
        new LogReader().read(child.out().resolve("events.nprof"), new LogVisitor() {
            @Override
            public void event(int osTid, int op, int outcome, long thread, long start, long duration, long connection,
                              long bytes, int ref, int stack) {
                if (op == Op.READ || op == Op.WRITE) {
                    readWriteThreads.add(thread);
                    if (osTid == 0) {
                        withoutTid[0]++;
                    }
                }
            }
        });
        assertEquals(virtualIds, readWriteThreads, "reads and writes are attributed to the virtual threads");
        assertEquals(0, withoutTid[0], "every event carries its carrier's OS thread id");
    }
}
