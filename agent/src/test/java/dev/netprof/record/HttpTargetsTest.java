package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpTargetsTest {
    private final Catalog catalog = new Catalog();
    private final HttpTargets targets = new HttpTargets(catalog);
    private final Map<String, Integer> defined = new HashMap<>();

    @AfterEach
    void cutQueriesAgain() {
        HttpRecorder.keepQuery(false);
    }

    @Test
    void aUriAStringAndAUrlOfOneTargetAreOneTargetWorkedOutOnce() throws Exception {
        String text = "http://example.com/orders?page=2";
        HttpTargets.Target first = targets.of("GET", URI.create(text));
        assertEquals("http://example.com:80/orders", first.uri(), "port made explicit, query cut");
        assertEquals("example.com", first.host());
        assertEquals(labelId("GET example.com"), first.label());
        assertSame(first, targets.of("GET", new String(text)), "a new string of the same text finds it");
        assertSame(first, targets.of("GET", new URL(text)));
    }

    @Test
    void queriesShareTheirTargetUnlessKept() {
        HttpTargets.Target first = targets.of("GET", "http://h/search?q=token-1");
        assertEquals("http://h:80/search", first.uri());
        assertSame(first, targets.of("GET", "http://h/search?q=token-2"));
        HttpRecorder.keepQuery(true);
        HttpTargets kept = new HttpTargets(catalog);
        assertEquals("http://h:80/search?q=token-2", kept.of("GET", "http://h/search?q=token-2").uri());
    }

    @Test
    void aTargetWithUserInfoIsNotKept() {
        String text = "http://user:secret@h/x";
        HttpTargets.Target t = targets.of("GET", text);
        assertEquals("http://h:80/x", t.uri());
        assertNotSame(t, targets.of("GET", text), "worked out again: the password is not held");
    }

    @Test
    void eachMethodGetsItsOwnLabelOnTheSameTarget() {
        String text = "https://example.com";
        HttpTargets.Target get = targets.of("GET", text);
        HttpTargets.Target post = targets.of("POST", text);
        assertEquals("https://example.com:443/", post.uri());
        assertEquals(labelId("POST example.com"), post.label());
        assertNotEquals(get.label(), post.label());
        assertEquals(get.label(), targets.of("GET", text).label());
    }

    @Test
    void aTargetThatIsNoUriIsRecordedAsGiven() {
        HttpTargets.Target t = targets.of("GET", "not a uri");
        assertEquals("not a uri", t.uri());
        assertEquals("not a uri", t.host());
        assertEquals(labelId("GET not a uri"), t.label());
    }

    @Test
    void theQueryIsKeptWhenAskedFor() {
        HttpRecorder.keepQuery(true);
        assertEquals("http://h:8080/p?q=1", targets.of("GET", "http://h:8080/p?q=1").uri());
    }

    @Test
    void targetsPastTheBoundAreStillRecordedRight() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < HttpTargets.MAX_TARGETS + 10; i++) {
                HttpTargets.Target t = targets.of("GET", "http://h" + i + "/x");
                assertEquals("http://h" + i + ":80/x", t.uri());
                assertEquals(labelId("GET h" + i), t.label());
            }
        }
    }

    @Test
    void aTargetTooLongToKeepIsStillRecordedRight() {
        String path = "/" + "p".repeat(HttpTargets.MAX_CACHED_CHARS);
        for (int i = 0; i < 2; i++) {
            HttpTargets.Target t = targets.of("GET", "http://h" + path + "?q=1");
            assertEquals("http://h:80" + path, t.uri());
            assertEquals(labelId("GET h"), t.label());
            assertNotSame(t, targets.of("GET", "http://h" + path), "worked out again: not kept");
        }
    }

    @Test
    void aFragmentNeitherIsRecordedNorSplitsTheTarget() {
        HttpTargets.Target t = targets.of("GET", "http://h/p#access_token=1");
        assertEquals("http://h:80/p", t.uri());
        assertSame(t, targets.of("GET", "http://h/p#access_token=2"));
    }

    @Test
    void aTargetThatIsNoUriLosesItsQueryToo() {
        assertEquals("x y", targets.of("GET", "x y?token=1").uri());
        assertEquals("http://h:80/p", targets.of("GET", "http://h/p?q=a b").uri(), "the query alone did not parse");
    }

    /** The id the catalog defined for {@code label}, checking that no string was defined twice. */
    private int labelId(String label) {
        for (Object d; (d = catalog.poll()) != null; ) {
            if (d instanceof Catalog.StringInfo s) {
                assertNull(defined.put(s.value(), s.id()), s.value() + " defined twice");
            }
        }
        return defined.get(label);
    }
}
