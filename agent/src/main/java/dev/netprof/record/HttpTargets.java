package dev.netprof.record;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an HTTP exchange's target is recorded as: its URI's text ({@code scheme://host:port/path}, the query cut
 * unless kept) and the id of its "METHOD host" label, worked out once per distinct URI rather than per exchange.
 * OkHttp hands over a string and HttpURLConnection a URL, so each of their exchanges was parsed into a URI, and
 * every exchange's text and label were concatenated anew: 0.4-1.2 µs and 200-950 bytes an exchange
 * (HttpExchangeBenchmark), against a map lookup now (and for a URL its string, for a target with a query a copy
 * up to it).
 */
final class HttpTargets {
    /**
     * Distinct targets kept. Past it the cache starts over, so a stream of unique ones (ids in the path, a query
     * kept) costs what it did without a cache and holds no more than this many.
     */
    static final int MAX_TARGETS = 1024;
    /** Longer targets are worked out each time, so that the cache holds a few MB at most. */
    static final int MAX_CACHED_CHARS = 1024;

    /** A target's text, its host (or the text, when it has none) and the label of its last method. */
    record Target(String uri, String host, String method, int label) {
    }

    private final Catalog catalog;
    /**
     * By the target as the client gave it, in its string form, without its fragment and, unless queries are kept,
     * without its query: neither changes what is recorded, and both often carry tokens, which netprof does not hold
     * on to. For the same reason targets with user info (a password) are not kept. A target that is no URI is
     * recorded as its text up to there too.
     */
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();

    HttpTargets(Catalog catalog) {
        this.catalog = catalog;
    }

    /** {@code target}: a URI, a URL or their text. */
    Target of(String method, Object target) {
        String text = String.valueOf(target);
        boolean keepQuery = HttpRecorder.keepQuery;
        String key = text.substring(0, end(text, keepQuery));
        Target t = targets.get(key);
        if (t != null && Objects.equals(t.method, method)) {
            return t;
        }
        boolean known = t != null;
        if (!known) {
            URI parsed = parse(target, key);
            String uri = parsed == null ? key : text(parsed, keepQuery);
            t = new Target(uri, parsed == null || parsed.getHost() == null ? uri : parsed.getHost(), null, 0);
        }
        // A target used with several methods keeps the label of the last: the others pay this concatenation.
        t = new Target(t.uri, t.host, method, catalog.string(method + " " + t.host));
        if (key.length() <= MAX_CACHED_CHARS && key.indexOf('@') < 0) {
            if (!known && targets.size() >= MAX_TARGETS) {
                targets.clear();
            }
            targets.put(key, t);
        }
        return t;
    }

    /** Where the key ends: at the fragment, or at the query unless queries are kept. */
    private static int end(String text, boolean keepQuery) {
        int end = text.indexOf('#');
        int query = keepQuery ? -1 : text.indexOf('?');
        if (query >= 0 && (end < 0 || query < end)) {
            end = query;
        }
        return end < 0 ? text.length() : end;
    }

    private static URI parse(Object target, String key) {
        try {
            return target instanceof URI ? (URI) target : URI.create(key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(URI u, boolean keepQuery) {
        int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getScheme() + "://" + u.getHost() + ":" + port + path
            + (keepQuery && u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
    }
}
