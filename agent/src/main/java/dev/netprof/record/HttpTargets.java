package dev.netprof.record;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an HTTP exchange's target is recorded as: its URI's text ({@code scheme://host:port/path}, the query cut
 * unless kept) and the id of its "METHOD host" label, worked out once per distinct URI rather than per exchange.
 * OkHttp hands over a string and HttpURLConnection a URL, so each of their exchanges was parsed into a URI, and
 * every exchange's text and label were concatenated anew: 0.4-1.2 µs and 200-950 bytes an exchange
 * (HttpExchangeBenchmark), against one map lookup now.
 */
final class HttpTargets {
    /**
     * Distinct targets kept. Past it the cache starts over, so a stream of unique ones (ids in the path, a query
     * kept) costs what it did without a cache and holds no more than this many.
     */
    static final int MAX_TARGETS = 1024;
    /** Longer targets are worked out each time, so that the cache holds at most ~2 MB. */
    static final int MAX_CACHED_CHARS = 1024;

    /** A target's text, its host (or the text, when it has none) and the label of its last method. */
    record Target(String uri, String host, String method, int label) {
    }

    private final Catalog catalog;
    /**
     * By the target as the client gave it, in its string form and without its query unless queries are kept: the
     * query does not change what is recorded then, and it often carries tokens, which netprof does not hold on to.
     * For the same reason targets with user info (a password) are not kept.
     */
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();

    HttpTargets(Catalog catalog) {
        this.catalog = catalog;
    }

    /** {@code target}: a URI, a URL or their text. */
    Target of(String method, Object target) {
        String text = String.valueOf(target);
        int query = HttpRecorder.keepQuery ? -1 : text.indexOf('?');
        String key = query < 0 ? text : text.substring(0, query);
        Target t = targets.get(key);
        if (t != null && Objects.equals(t.method, method)) {
            return t;
        }
        if (t == null) {
            URI parsed = parse(target, key);
            String uri = parsed == null ? key : text(parsed);
            t = new Target(uri, parsed == null || parsed.getHost() == null ? uri : parsed.getHost(), null, 0);
        }
        // A target used with several methods keeps the label of the last: the others pay this concatenation.
        t = new Target(t.uri, t.host, method, catalog.string(method + " " + t.host));
        if (key.length() <= MAX_CACHED_CHARS && key.indexOf('@') < 0) {
            if (targets.size() >= MAX_TARGETS) {
                targets.clear();
            }
            targets.put(key, t);
        }
        return t;
    }

    private static URI parse(Object target, String text) {
        try {
            return target instanceof URI ? (URI) target : URI.create(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(URI u) {
        int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getScheme() + "://" + u.getHost() + ":" + port + path
            + (HttpRecorder.keepQuery && u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
    }
}
