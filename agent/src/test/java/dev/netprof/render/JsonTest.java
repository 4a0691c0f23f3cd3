package dev.netprof.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void nestedValuesAreSeparatedAndEscaped() throws Exception {
        StringWriter w = new StringWriter();
        new Json(w, false).beginObject()
            .field("s", "a\"b\\c\n\u0001")
            .field("n", 42L)
            .field("nothing", (String) null)
            .name("list").strings(List.of("x", "y"))
            .name("empty").beginArray().endArray()
            .name("objects").beginArray().beginObject().field("b", true).endObject().beginObject().endObject().endArray()
            .endObject();
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":42,\"nothing\":null,\"list\":[\"x\",\"y\"],\"empty\":[],"
            + "\"objects\":[{\"b\":true},{}]}", w.toString());
    }

    @Test
    void prettyOutputIndentsByDepth() throws Exception {
        StringWriter w = new StringWriter();
        new Json(w, true).beginObject().name("a").beginArray().value(1L).endArray().endObject();
        assertEquals("{\n  \"a\": [\n    1\n  ]\n}", w.toString());
    }

    @Test
    void outputLongerThanItsBufferReachesTheWriterWhole() throws Exception {
        StringWriter w = new StringWriter();
        Json j = new Json(w, false).beginArray();
        StringBuilder expected = new StringBuilder("[");
        for (int i = 0; i < 50_000; i++) {
            j.value("item " + i);
            expected.append(i == 0 ? "" : ",").append("\"item ").append(i).append('"');
        }
        j.endArray();
        String written = w.toString();
        assertEquals(expected.append(']').length(), written.length(), "characters that reached the Writer");
        assertTrue(expected.toString().equals(written), "what reached the Writer differs from what was written");
    }
}
