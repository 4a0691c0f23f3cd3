package dev.netprof.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JFR settings file (.jfc) for the comparison with netprof: jdk.SocketRead and jdk.SocketWrite at threshold 0 ms,
 * with or without stack traces, and every other event of that JDK's default.jfc disabled, so the cost measured is
 * the socket events' alone. Where the JDK throttles the socket events (JDK 25's default is 100/s) the throttle is
 * turned off, or JFR would record almost nothing of a busy connection.
 */
final class JfrSettings {
    static final List<String> SOCKET_EVENTS = List.of("jdk.SocketRead", "jdk.SocketWrite");
    private static final Pattern EVENT = Pattern.compile("<event name=\"([^\"]+)\">(.*?)</event>", Pattern.DOTALL);

    /** Writes the settings for the JDK at {@code javaHome} into {@code file}. */
    static void write(Path javaHome, boolean stackTraces, Path file) throws IOException {
        String defaults = Files.readString(javaHome.resolve("lib/jfr/default.jfc"));
        List<String> others = new ArrayList<>();
        boolean throttled = false;
        Matcher m = EVENT.matcher(defaults);
        while (m.find()) {
            if (SOCKET_EVENTS.contains(m.group(1))) {
                throttled |= m.group(2).contains("name=\"throttle\"");
            } else {
                others.add(m.group(1));
            }
        }
        StringBuilder jfc = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<configuration version=\"2.0\" label=\"netprof-bench\" description=\"socket reads and writes only\">\n");
        for (String socketEvent : SOCKET_EVENTS) {
            jfc.append("  <event name=\"").append(socketEvent).append("\">\n")
                .append("    <setting name=\"enabled\">true</setting>\n")
                .append("    <setting name=\"threshold\">0 ms</setting>\n")
                .append("    <setting name=\"stackTrace\">").append(stackTraces).append("</setting>\n");
            if (throttled) {
                jfc.append("    <setting name=\"throttle\">off</setting>\n");
            }
            jfc.append("  </event>\n");
        }
        for (String other : others) {
            jfc.append("  <event name=\"").append(other).append("\"><setting name=\"enabled\">false</setting></event>\n");
        }
        Files.writeString(file, jfc.append("</configuration>\n"));
    }

    private JfrSettings() {
    }
}
