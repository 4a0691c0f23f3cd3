package dev.netprof.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * A small streaming JSON writer: objects, arrays, strings, numbers, booleans and null, correctly escaped. It
 * gathers its output in a buffer of its own and hands it to the {@link Writer} in blocks, and whole once the
 * outermost value is complete: a Writer takes a lock per call, and a connection-per-request recording's
 * summary.json is tens of millions of small writes.
 */
public final class Json {
    private static final int BLOCK = 1 << 16;
    private final Writer out;
    private final StringBuilder buf = new StringBuilder(BLOCK);
    private boolean first = true;
    private int depth;
    private final boolean pretty;
    /** A name was just written, so the next value follows it directly. */
    private boolean pendingName;

    public Json(Writer out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    public Json beginObject() throws IOException {
        value();
        put('{');
        depth++;
        first = true;
        return this;
    }

    public Json endObject() throws IOException {
        depth--;
        if (!first) {
            newline();
        }
        put('}');
        first = false;
        finished();
        return this;
    }

    public Json beginArray() throws IOException {
        value();
        put('[');
        depth++;
        first = true;
        return this;
    }

    public Json endArray() throws IOException {
        depth--;
        if (!first) {
            newline();
        }
        put(']');
        first = false;
        finished();
        return this;
    }

    public Json name(String name) throws IOException {
        if (!first) {
            put(',');
        }
        newline();
        quote(name);
        put(pretty ? ": " : ":");
        first = false;
        pendingName = true;
        return this;
    }

    public Json value(String s) throws IOException {
        value();
        if (s == null) {
            put("null");
        } else {
            quote(s);
        }
        finished();
        return this;
    }

    public Json value(long n) throws IOException {
        value();
        put(Long.toString(n));
        finished();
        return this;
    }

    public Json value(double d) throws IOException {
        value();
        put(Double.isFinite(d) ? Double.toString(d) : "null");
        finished();
        return this;
    }

    public Json value(boolean b) throws IOException {
        value();
        put(b ? "true" : "false");
        finished();
        return this;
    }

    public Json value(Long n) throws IOException {
        return n == null ? nullValue() : value(n.longValue());
    }

    public Json nullValue() throws IOException {
        value();
        put("null");
        finished();
        return this;
    }

    public Json strings(List<String> items) throws IOException {
        beginArray();
        for (String s : items) {
            value(s);
        }
        return endArray();
    }

    public Json field(String name, String v) throws IOException {
        return name(name).value(v);
    }

    public Json field(String name, long v) throws IOException {
        return name(name).value(v);
    }

    public Json field(String name, Long v) throws IOException {
        return name(name).value(v);
    }

    public Json field(String name, boolean v) throws IOException {
        return name(name).value(v);
    }

    public Json field(String name, double v) throws IOException {
        return name(name).value(v);
    }

    /** Separator and indentation before a value; a value right after a name needs neither. */
    private void value() throws IOException {
        if (pendingName) {
            pendingName = false;
        } else {
            if (!first) {
                put(',');
            }
            if (depth > 0) {
                newline();
            }
        }
        first = false;
    }

    private void put(char c) {
        buf.append(c);
    }

    private void put(String str) throws IOException {
        buf.append(str);
        if (buf.length() >= BLOCK) {
            drain();
        }
    }

    /** Hands what is buffered to the Writer once the outermost value is complete. */
    private void finished() throws IOException {
        if (depth == 0) {
            drain();
        }
    }

    private void drain() throws IOException {
        out.append(buf);
        buf.setLength(0);
    }

    private void newline() throws IOException {
        if (pretty) {
            put('\n');
            for (int i = 0; i < depth; i++) {
                put("  ");
            }
        }
    }

    private void quote(String s) throws IOException {
        put('"');
        put(escape(s));
        put('"');
    }

    /** {@code s} escaped for the inside of a JSON string. */
    public static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = null;
            switch (c) {
                case '"': e = "\\\""; break;
                case '\\': e = "\\\\"; break;
                case '\n': e = "\\n"; break;
                case '\r': e = "\\r"; break;
                case '\t': e = "\\t"; break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        e = String.format("\\u%04x", (int) c);
                    }
            }
            if (e != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (e != null) {
                    b.append(e);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
