package dev.netprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netprof.it.workload.ReverseLookupWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reverse lookup (getHostName) is recorded as one, for the address, rather than as the forward lookup of the name
 * found that the JDK makes inside it to confirm it.
 */
class ReverseLookupTest {
    private static final String NAME = "loopback-one.test";

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aReverseLookupIsRecordedForItsAddressAndItsConfirmationIsPartOfIt(Jdk jdk) throws Exception {
        Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 " + NAME + "\n");
        ChildJvm child = new ChildJvm(jdk, work.resolve(jdk.name())).jvmArg("-Djdk.net.hosts.file=" + hosts)
            .agent("").main(ReverseLookupWorkload.class, NAME);
        List<String> answers = child.run(120).assertSucceeded().stdout().lines().toList();
        assertEquals(List.of(NAME, "127.0.0.2", "127.0.0.1"), answers, "the JDK's own answers");
        List<JsonNode> lookups = Summary.list(Summary.read(child.out()).root.get("dnsLookups"));
        assertEquals(3, lookups.size(), lookups.toString());
        assertLookup(lookups.get(0), "127.0.0.1", true, 1, false);
        assertLookup(lookups.get(1), "127.0.0.2", true, 0, false);
        assertLookup(lookups.get(2), NAME, false, 1, true);
    }

    private static void assertLookup(JsonNode d, String host, boolean reverse, int addresses, boolean cached) {
        assertEquals(host, d.get("host").asText(), d.toString());
        assertEquals(reverse, d.get("reverse").asBoolean(), d.toString());
        assertEquals(addresses, d.get("addresses").asInt(), d.toString());
        assertEquals(cached, d.get("cached").asBoolean(), d.toString());
        assertTrue(d.get("error").isNull(), d.toString());
        assertFalse(d.get("durationNs").asLong() <= 0, d.toString());
    }
}
