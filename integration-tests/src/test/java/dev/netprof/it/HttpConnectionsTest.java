package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.HttpConnectionsWorkload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each HTTP exchange of {@link HttpConnectionsWorkload} names the connection its server saw it on, including OkHttp
 * responses without a body and Apache's minimal client, and an exchange that had no connection names none (not the
 * one an earlier exchange on its thread used).
 */
class HttpConnectionsTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void everyExchangeNamesTheConnectionItsServerSaw(Jdk jdk) throws Exception {
        ChildJvm child = new ChildJvm(jdk, work.resolve(jdk.name())).agent("").main(HttpConnectionsWorkload.class);
        List<String> truth = child.run(120).assertSucceeded().stdout().lines().toList();
        Summary summary = Summary.read(child.out());
        List<JsonNode> exchanges = Summary.list(summary.root.get("httpExchanges"));
        assertEquals(truth.size(), exchanges.size(), exchanges.toString());
        assertEquals(6, truth.size(), truth.toString());
        for (int i = 0; i < truth.size(); i++) {
            String[] t = truth.get(i).split(" ");
            JsonNode x = exchanges.get(i);
            assertEquals(t[0], x.get("client").asText(), x.toString());
            assertEquals(Integer.parseInt(t[1]), x.get("status").asInt(), x.toString());
            if (t[2].equals("-")) {
                assertTrue(x.get("connectionId").isNull(), "no connection: " + x);
            } else {
                assertEquals(t[2], summary.connection(x.get("connectionId").asLong()).get("local").asText(),
                    "the connection the server saw: " + x);
            }
        }
    }
}
