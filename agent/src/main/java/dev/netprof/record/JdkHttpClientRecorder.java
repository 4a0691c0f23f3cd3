package dev.netprof.record;

import static dev.netprof.record.JdkInternals.field;
import static dev.netprof.record.JdkInternals.type;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK's java.net.http.HttpClient: one exchange per {@code MultiExchange} (a logical request, redirects and
 * retries included) from {@code responseAsync} until its future completes. What carried it is read then, once: the
 * connection under the MultiExchange's current (last) Exchange, HTTP/1.1 or HTTP/2, and the response's
 * content-length.
 *
 * <p>This class is loaded by the bootstrap loader, which cannot see java.net.http (a platform-loader module): it
 * reaches the HttpClient's public API and, with jdk.internal.net.http opened to netprof's bootstrap module only,
 * its internals through method and field handles looked up by name.
 */
public final class JdkHttpClientRecorder {
    private static final String API = "java.net.http.";
    private static final String INTERNAL = "jdk.internal.net.http.";
    private static final VarHandle MULTI_REQUEST = field(INTERNAL + "MultiExchange", "request");
    private static final VarHandle MULTI_EXCHANGE = field(INTERNAL + "MultiExchange", "exchange");
    private static final VarHandle EXCHANGE_IMPL = field(INTERNAL + "Exchange", "exchImpl");
    private static final MethodHandle CONNECTION = method(INTERNAL + "ExchangeImpl", "connection",
        type(INTERNAL + "HttpConnection"), true);
    private static final MethodHandle CHANNEL = method(INTERNAL + "HttpConnection", "channel", SocketChannel.class, true);
    private static final MethodHandle STATUS = method(API + "HttpResponse", "statusCode", int.class, false);
    private static final MethodHandle RESPONSE_URI = method(API + "HttpResponse", "uri", URI.class, false);
    private static final MethodHandle RESPONSE_REQUEST = method(API + "HttpResponse", "request", null, false);
    private static final MethodHandle VERSION = method(API + "HttpResponse", "version", null, false);
    private static final MethodHandle METHOD = method(API + "HttpRequest", "method", String.class, false);
    private static final MethodHandle REQUEST_URI = method(API + "HttpRequest", "uri", URI.class, false);
    private static final MethodHandle BODY = method(API + "HttpRequest", "bodyPublisher", Optional.class, false);
    private static final MethodHandle LENGTH = method(API + "HttpRequest$BodyPublisher", "contentLength", long.class,
        false);
    private static final MethodHandle HEADERS = method(API + "HttpResponse", "headers", null, false);
    private static final MethodHandle HEADER_MAP = method(API + "HttpHeaders", "map", Map.class, false);
    private static final Class<?> RESPONSE_TYPE = type(API + "HttpResponse");

    /** MultiExchange.responseAsync returned {@code future}; the exchange is recorded when it completes. */
    public static void started(Object multiExchange, CompletableFuture<?> future, long startNs) {
        Capture c = Recorder.current();
        if (c == null || future == null) {
            return;
        }
        long thread = Thread.currentThread().getId();
        int stack = HttpRecorder.callerStack(c, startNs);
        future.whenComplete((response, failure) -> finished(multiExchange, response, failure, startNs, thread, stack));
    }

    private static void finished(Object mex, Object response, Throwable failure, long startNs, long thread,
                                 int stack) {
        try {
            Object r = RESPONSE_TYPE != null && RESPONSE_TYPE.isInstance(response) ? response : null;
            Object request = MULTI_REQUEST == null ? null : MULTI_REQUEST.get(mex);
            if (request == null && r != null) {
                request = (Object) RESPONSE_REQUEST.invokeExact(r);
            }
            if (request == null) {
                return;
            }
            Optional<?> body = (Optional<?>) (Object) BODY.invokeExact(request);
            Object publisher = body.isPresent() ? body.get() : null;
            long requestBytes = publisher != null ? (long) LENGTH.invokeExact(publisher) : 0;
            String version = r == null ? null : HttpRecorder.version((Object) VERSION.invokeExact(r));
            HttpRecorder.exchange("jdk-httpclient", (String) (Object) METHOD.invokeExact(request),
                r != null ? (Object) RESPONSE_URI.invokeExact(r) : (Object) REQUEST_URI.invokeExact(request),
                r != null ? (int) STATUS.invokeExact(r) : 0, version, startNs, thread,
                requestBytes < 0 ? -1 : requestBytes, r == null ? -1 : contentLength(r), channel(mex), null, null,
                failure, stack);
        } catch (Throwable e) {
            // never disturb the client's own completion
        }
    }

    /**
     * The SocketChannel under the exchange's last connection, or null (before it had one, or where this JDK's
     * internals differ): the exchange is then recorded without its connection.
     */
    private static Object channel(Object mex) {
        try {
            Object exchange = MULTI_EXCHANGE == null ? null : MULTI_EXCHANGE.get(mex);
            Object impl = exchange == null || EXCHANGE_IMPL == null ? null : EXCHANGE_IMPL.get(exchange);
            Object connection = impl == null || CONNECTION == null ? null : (Object) CONNECTION.invokeExact(impl);
            return connection == null || CHANNEL == null ? null : (Object) CHANNEL.invokeExact(connection);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * The response's content-length, or -1. Read from the headers' map (case-insensitive) rather than with
     * firstValueAsLong, which runs a stream per call.
     */
    private static long contentLength(Object response) {
        try {
            Object headers = (Object) HEADERS.invokeExact(response);
            List<?> values = (List<?>) ((Map<?, ?>) (Object) HEADER_MAP.invokeExact(headers)).get("content-length");
            return values == null || values.isEmpty() ? -1 : Long.parseLong(String.valueOf(values.get(0)).trim());
        } catch (Throwable e) {
            return -1; // no such header, a malformed one, or no handles on this JDK
        }
    }

    /** A no-argument instance method; {@code returns} null means "whatever it returns" (a java.net.http type). */
    private static MethodHandle method(String className, String name, Class<?> returns, boolean internal) {
        try {
            Class<?> owner = type(className);
            MethodHandles.Lookup lookup = internal ? MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                : MethodHandles.publicLookup();
            Class<?> r = returns != null ? returns : owner.getMethod(name).getReturnType();
            return lookup.findVirtual(owner, name, MethodType.methodType(r)).asType(
                MethodType.methodType(r.isPrimitive() ? r : Object.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private JdkHttpClientRecorder() {
    }
}
