package dev.netprof.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * netprof's state inside a target JVM, as its agent publishes it in the {@value #PROPERTY} system property:
 * {@code recording}, {@code stopping} (the log is still being completed: nothing may read it yet) or {@code stopped}.
 */
record AgentStatus(String state, Path out, long sinceEpochMs, long events, long dropped, String version) {
    static final String PROPERTY = "netprof.status";

    static AgentStatus parse(String property) {
        if (property == null || property.isEmpty()) {
            return null;
        }
        Map<String, String> kv = new HashMap<>();
        for (String part : property.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return new AgentStatus(kv.getOrDefault("state", "?"), Path.of(kv.getOrDefault("out", ".")),
            Long.parseLong(kv.getOrDefault("since", "0")), Long.parseLong(kv.getOrDefault("events", "0")),
            Long.parseLong(kv.getOrDefault("dropped", "0")), kv.getOrDefault("version", "?"));
    }

    /** Still recording, or stopping: its log is not complete yet. */
    boolean recording() {
        return state.equals("recording") || stopping();
    }

    boolean stopping() {
        return state.equals("stopping");
    }
}
