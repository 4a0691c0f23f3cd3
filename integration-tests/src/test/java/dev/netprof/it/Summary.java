package dev.netprof.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A parsed summary.json, with the lookups tests need. */
public final class Summary {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final JsonNode root;

    private Summary(JsonNode root) {
        this.root = root;
    }

    public static Summary read(Path outDir) throws IOException {
        return new Summary(JSON.readTree(outDir.resolve("summary.json").toFile()));
    }

    public List<JsonNode> connections() {
        return list(root.get("connections"));
    }

    public List<JsonNode> connections(Predicate<JsonNode> filter) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : connections()) {
            if (filter.test(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The one connection with these addresses, or an assertion error naming what is there. */
    public JsonNode connection(String transport, String local, String remote) {
        List<JsonNode> found = connections(c -> hasAddresses(c, transport, local, remote));
        if (found.size() != 1) {
            List<String> have = new ArrayList<>();
            for (JsonNode c : connections()) {
                have.add(c.get("transport").asText() + " " + c.get("local").asText() + " > " + c.get("remote").asText());
            }
            throw new AssertionError(found.size() + " " + transport + " connections " + local + " > " + remote
                + " in summary.json" + (found.isEmpty() ? "" : ": " + found) + "; it has " + have.size() + ": "
                + have.subList(0, Math.min(40, have.size())));
        }
        return found.get(0);
    }

    /**
     * Of the connections with these addresses, the one opened nearest {@code openedNs}: on loopback the kernel reuses
     * a client port still in TIME_WAIT after a second (tcp_tw_reuse=2), so a test churning connections for longer
     * can see one address pair twice, a second or more apart.
     */
    public JsonNode connection(String transport, String local, String remote, long openedNs) {
        List<JsonNode> found = connections(c -> hasAddresses(c, transport, local, remote));
        if (found.size() <= 1) {
            return connection(transport, local, remote);
        }
        return found.stream().min((a, b) -> Long.compare(Math.abs(a.get("openedNs").asLong() - openedNs),
            Math.abs(b.get("openedNs").asLong() - openedNs))).orElseThrow();
    }

    private static boolean hasAddresses(JsonNode c, String transport, String local, String remote) {
        return c.get("transport").asText().equals(transport) && c.get("local").asText().equals(local)
            && c.get("remote").asText().equals(remote);
    }

    /** The connection with this id, or an assertion error. */
    public JsonNode connection(long id) {
        List<JsonNode> found = connections(c -> c.get("id").asLong() == id);
        if (found.isEmpty()) {
            throw new AssertionError("no connection " + id + " in summary.json");
        }
        return found.get(0);
    }

    /** The TLS handshakes on {@code connection}, each as {@code "<role> <outcome>"}, and its error if it has one. */
    public List<String> handshakesOn(JsonNode connection) {
        List<String> out = new ArrayList<>();
        for (JsonNode h : root.get("tlsHandshakes")) {
            if (h.get("connectionId").asLong() == connection.get("id").asLong()) {
                out.add(h.get("role").asText() + " " + h.get("outcome").asText()
                    + (h.get("error").isNull() ? "" : " " + h.get("error").asText()));
            }
        }
        return out;
    }

    public List<JsonNode> errors() {
        return list(root.get("errors"));
    }

    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
