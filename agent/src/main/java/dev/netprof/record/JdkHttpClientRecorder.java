package dev.netprof.record;

import static dev.netprof.record.JdkInternals.field;
import static dev.netprof.record.JdkInternals.type;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * The JDK's java.net.http.HttpClient: one exchange per {@code MultiExchange} (a logical request, redirects and
 * retries included) from {@code responseAsync} until its future completes; its connection comes from the last
 * {@code Response} built for it (status line and headers, with the HttpConnection that carried them, HTTP/1.1 or
 * HTTP/2).
 *
 * <p>This class is loaded by the bootstrap loader, which cannot see java.net.http (a platform-loader module): it
 * reaches the HttpClient's public API and, with jdk.internal.net.http opened to netprof's bootstrap module only,
 * its internals through method and field handles looked up by name.
 */
public final class JdkHttpClientRecorder {
    private static final String API = "java.net.http.";
    private static final String INTERNAL = "jdk.internal.net.http.";
    private static final VarHandle EXCHANGE_MULTI = field(INTERNAL + "Exchange", "multi");
    private static final VarHandle MULTI_REQUEST = field(INTERNAL + "MultiExchange", "request");
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
    private static final MethodHandle HEADER_LONG = headerAsLong();
    private static final Class<?> RESPONSE_TYPE = type(API + "HttpResponse");

    /** Per MultiExchange: {the SocketChannel that carried its response, its content length or -1}. */
    private static final Map<Object, Object[]> RESPONDED = Collections.synchronizedMap(new WeakHashMap<>());

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

    /** A Response was built: status line and headers arrived on {@code connection}. */
    public static void responded(Object exchange, Object connection, Object headers, boolean isConnect) {
        if (Recorder.current() == null || isConnect || EXCHANGE_MULTI == null || CHANNEL == null) {
            return;
        }
        try {
            Object channel = CHANNEL.invoke(connection);
            long length = headers == null || HEADER_LONG == null ? -1
                : ((OptionalLong) HEADER_LONG.invoke(headers, "content-length")).orElse(-1);
            RESPONDED.put(EXCHANGE_MULTI.get(exchange), new Object[] {channel, length});
        } catch (Throwable e) {
            // a connection without a channel: the exchange is recorded without its connection
        }
    }

    private static void finished(Object mex, Object response, Throwable failure, long startNs, long thread,
                                 int stack) {
        try {
            Object[] carried = RESPONDED.remove(mex);
            Object r = RESPONSE_TYPE != null && RESPONSE_TYPE.isInstance(response) ? response : null;
            Object request = MULTI_REQUEST == null ? null : MULTI_REQUEST.get(mex);
            if (request == null && r != null) {
                request = RESPONSE_REQUEST.invoke(r);
            }
            if (request == null) {
                return;
            }
            Optional<?> body = (Optional<?>) BODY.invoke(request);
            long requestBytes = body.isPresent() ? (long) LENGTH.invoke(body.get()) : 0;
            HttpRecorder.exchange("jdk-httpclient", (String) METHOD.invoke(request),
                r != null ? RESPONSE_URI.invoke(r) : REQUEST_URI.invoke(request),
                r != null ? (int) STATUS.invoke(r) : 0,
                r == null ? null : String.valueOf(VERSION.invoke(r)).equals("HTTP_2") ? "HTTP/2" : "HTTP/1.1", startNs,
                thread, requestBytes < 0 ? -1 : requestBytes, carried == null ? -1 : (long) carried[1],
                carried == null ? null : carried[0], null, null, failure, stack);
        } catch (Throwable e) {
            // never disturb the client's own completion
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

    private static MethodHandle headerAsLong() {
        try {
            Class<?> headers = type(API + "HttpHeaders");
            return MethodHandles.publicLookup().findVirtual(headers, "firstValueAsLong",
                MethodType.methodType(OptionalLong.class, String.class))
                .asType(MethodType.methodType(OptionalLong.class, Object.class, String.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private JdkHttpClientRecorder() {
    }
}
