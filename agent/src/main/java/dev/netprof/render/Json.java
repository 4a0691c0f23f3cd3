package dev.netprof.render;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** A small streaming JSON writer: objects, arrays, strings, numbers, booleans and null, correctly escaped. */
public final class Json {
    private final Writer out;
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
        out.write('{');
        depth++;
        first = true;
        return this;
    }

    public Json endObject() throws IOException {
        depth--;
        if (!first) {
            newline();
        }
        out.write('}');
        first = false;
        return this;
    }

    public Json beginArray() throws IOException {
        value();
        out.write('[');
        depth++;
        first = true;
        return this;
    }

    public Json endArray() throws IOException {
        depth--;
        if (!first) {
            newline();
        }
        out.write(']');
        first = false;
        return this;
    }

    public Json name(String name) throws IOException {
        if (!first) {
            out.write(',');
        }
        newline();
        quote(name);
        out.write(pretty ? ": " : ":");
        first = false;
        pendingName = true;
        return this;
    }

    public Json value(String s) throws IOException {
        value();
        if (s == null) {
            out.write("null");
        } else {
            quote(s);
        }
        return this;
    }

    public Json value(long n) throws IOException {
        value();
        out.write(Long.toString(n));
        return this;
    }

    public Json value(double d) throws IOException {
        value();
        out.write(Double.isFinite(d) ? Double.toString(d) : "null");
        return this;
    }

    public Json value(boolean b) throws IOException {
        value();
        out.write(b ? "true" : "false");
        return this;
    }

    public Json value(Long n) throws IOException {
        return n == null ? nullValue() : value(n.longValue());
    }

    public Json nullValue() throws IOException {
        value();
        out.write("null");
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
                out.write(',');
            }
            if (depth > 0) {
                newline();
            }
        }
        first = false;
    }

    private void newline() throws IOException {
        if (pretty) {
            out.write('\n');
            for (int i = 0; i < depth; i++) {
                out.write("  ");
            }
        }
    }

    private void quote(String s) throws IOException {
        out.write('"');
        out.write(escape(s));
        out.write('"');
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
