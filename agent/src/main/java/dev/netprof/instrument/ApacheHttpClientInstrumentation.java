package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.FastClock;
import dev.netprof.record.HttpRecorder;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Apache HttpClient 5. Classic API ({@code doExecute} of {@code org.apache.hc.client5.http.impl.classic
 * .InternalHttpClient}, and of {@code MinimalHttpClient}, which {@code HttpClients.createMinimal} builds): every
 * execute overload ends there, once per request with its redirects and retries. The connection is named by
 * its local and remote addresses, which {@code HttpRequestExecutor.execute} sees below it on the same thread.
 *
 * <p>Async API (the clients {@code HttpAsyncClients} builds): {@code InternalAbstractHttpAsyncClient
 * .executeImmediate} sends each request once, with the {@code ComplexFuture} that the client completes, fails or
 * cancels when the exchange ends, on its I/O thread; the exchange is recorded then. The advice in ComplexFuture
 * (httpcore5) names only httpcore5 types, so it links wherever that class does.
 * Matched by name only, so an application without HttpClient 5 never loads it.
 */
final class ApacheHttpClientInstrumentation {
    static List<InstrumentedType> types() {
        return List.of(
            new InstrumentedType("org.apache.hc.client5.http.impl.classic.InternalHttpClient", Family.HTTP,
                List.of(Hook.of("doExecute(HttpHost,ClassicHttpRequest,HttpContext)", named("doExecute")
                    .and(takesArguments(3)), Execute.class, Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("org.apache.hc.client5.http.impl.classic.MinimalHttpClient", Family.HTTP,
                List.of(Hook.of("doExecute(HttpHost,ClassicHttpRequest,HttpContext)", named("doExecute")
                    .and(takesArguments(3)), Execute.class, Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("org.apache.hc.core5.http.impl.io.HttpRequestExecutor", Family.HTTP,
                List.of(Hook.of("execute(ClassicHttpRequest,HttpClientConnection,HttpResponseInformationCallback,"
                    + "HttpContext)", named("execute").and(takesArguments(4)), SentOn.class, Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient", Family.HTTP,
                List.of(Hook.of("executeImmediate(HttpRequest,AsyncEntityProducer,Scope,AsyncExecChain,"
                    + "AsyncExecCallback)", named("executeImmediate").and(takesArguments(5)), AsyncSent.class,
                    Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("org.apache.hc.core5.concurrent.ComplexFuture", Family.HTTP, List.of(
                Hook.of("completed(Object)", named("completed").and(takesArguments(1)), AsyncEnded.class,
                    Op.HTTP_EXCHANGE, 0),
                Hook.of("failed(Exception)", named("failed").and(takesArguments(1)), AsyncEnded.class,
                    Op.HTTP_EXCHANGE, 0),
                Hook.of("cancel(boolean)", named("cancel").and(takesArguments(1)).and(takesArgument(0, boolean.class)),
                    AsyncEnded.class, Op.HTTP_EXCHANGE, 0))));
    }

    static final class AsyncSent {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object req, @Advice.Argument(1) Object entity,
                          @Advice.Argument(2) Object scope) {
            org.apache.hc.core5.http.HttpRequest request = (org.apache.hc.core5.http.HttpRequest) req;
            org.apache.hc.client5.http.async.AsyncExecChain.Scope s =
                (org.apache.hc.client5.http.async.AsyncExecChain.Scope) scope;
            org.apache.hc.core5.http.nio.AsyncEntityProducer body =
                (org.apache.hc.core5.http.nio.AsyncEntityProducer) entity;
            Object uri;
            try {
                uri = request.getUri();
            } catch (java.net.URISyntaxException e) {
                uri = request.getRequestUri();
            }
            HttpRecorder.asyncStarted(s.cancellableDependency, "apache-httpclient5", request.getMethod(), uri,
                body == null ? 0 : Math.max(0, body.getContentLength()), s.clientContext);
        }
    }

    /** completed(result), failed(exception) or cancel(mayInterrupt): whichever comes first ends the exchange. */
    static final class AsyncEnded {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object future,
                          @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object arg,
                          @Advice.Origin("#m") String method) {
            HttpRecorder.Pending p = HttpRecorder.asyncEnded(future);
            if (p == null) {
                return;
            }
            org.apache.hc.core5.http.protocol.HttpCoreContext context =
                (org.apache.hc.core5.http.protocol.HttpCoreContext) p.context;
            org.apache.hc.core5.http.HttpResponse response = context.getResponse() != null ? context.getResponse()
                : arg instanceof org.apache.hc.core5.http.HttpResponse ? (org.apache.hc.core5.http.HttpResponse) arg
                : null;
            org.apache.hc.core5.http.ProtocolVersion version = response == null ? null : response.getVersion();
            org.apache.hc.core5.http.Header length =
                response == null ? null : response.getFirstHeader("Content-Length");
            org.apache.hc.core5.http.EndpointDetails peer = context.getEndpointDetails();
            Throwable failure = method.equals("failed") ? (Throwable) arg
                : method.equals("cancel") ? new java.util.concurrent.CancellationException("cancelled") : null;
            HttpRecorder.asyncExchange(p, response == null ? 0 : response.getCode(),
                version == null ? null : HttpRecorder.version(version.getMajor(), version.getMinor()),
                HttpRecorder.contentLength(length == null ? null : length.getValue()),
                peer == null ? null : peer.getLocalAddress(), peer == null ? null : peer.getRemoteAddress(), failure);
        }
    }

    /** Below doExecute, on the same thread: the connection the request actually went out on. */
    static final class SentOn {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object connection) {
            org.apache.hc.core5.http.HttpConnection c = (org.apache.hc.core5.http.HttpConnection) connection;
            HttpRecorder.sentOn(c.getLocalAddress(), c.getRemoteAddress());
        }
    }

    static final class Execute {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            HttpRecorder.exchangeStarting();
            return FastClock.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Argument(0) Object target, @Advice.Argument(1) Object req,
                         @Advice.Return Object returned,
                         @Advice.Thrown Throwable thrown) {
            org.apache.hc.core5.http.ClassicHttpRequest request = (org.apache.hc.core5.http.ClassicHttpRequest) req;
            org.apache.hc.core5.http.ClassicHttpResponse response =
                (org.apache.hc.core5.http.ClassicHttpResponse) returned;
            String uri;
            try {
                uri = request.getUri().toString();
            } catch (java.net.URISyntaxException e) {
                uri = String.valueOf(target) + request.getPath();
            }
            org.apache.hc.core5.http.HttpEntity requestEntity = request.getEntity();
            org.apache.hc.core5.http.HttpEntity responseEntity = response == null ? null : response.getEntity();
            org.apache.hc.core5.http.ProtocolVersion version = response == null ? null : response.getVersion();
            HttpRecorder.SentOn on = HttpRecorder.takeSentOn();
            HttpRecorder.exchange("apache-httpclient5", request.getMethod(), uri, response == null ? 0 : response.getCode(),
                version == null ? null : HttpRecorder.version(version.getMajor(), version.getMinor()), start,
                requestEntity == null ? 0 : requestEntity.getContentLength(),
                responseEntity == null ? -1 : responseEntity.getContentLength(), null,
                on == null ? null : on.local(), on == null ? null : on.remote(), thrown);
        }
    }

    private ApacheHttpClientInstrumentation() {
    }
}
