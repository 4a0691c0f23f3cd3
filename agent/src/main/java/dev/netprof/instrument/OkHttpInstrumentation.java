package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.FastClock;
import dev.netprof.record.HttpRecorder;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * OkHttp 4.x and 5.x ({@code okhttp3.internal.connection.RealCall}): {@code getResponseWithInterceptorChain} runs
 * every call, synchronous or queued, through retries and redirects to the response headers. Matched by name only,
 * so an application without OkHttp never loads it; the advice uses OkHttp's public API, linked in the
 * application's class loader once inlined.
 */
final class OkHttpInstrumentation {
    static InstrumentedType type() {
        return new InstrumentedType("okhttp3.internal.connection.RealCall", Family.HTTP, List.of(
            Hook.of("getResponseWithInterceptorChain$okhttp()", named("getResponseWithInterceptorChain$okhttp")
                .and(takesArguments(0)), Call.class, Op.HTTP_EXCHANGE, 0),
            Hook.of("acquireConnectionNoEvents(RealConnection)", named("acquireConnectionNoEvents")
                .and(takesArguments(1)), Acquired.class, Op.HTTP_EXCHANGE, 0)));
    }

    /**
     * The call takes the connection it will send on. Kept, because a response without a body (204, 304, HEAD,
     * Content-Length: 0) lets the call forget its connection before it returns.
     */
    static final class Acquired {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object connection) {
            HttpRecorder.sentOn(((okhttp3.Connection) connection).socket());
        }
    }

    static final class Call {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            HttpRecorder.exchangeStarting();
            return FastClock.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.FieldValue("originalRequest") Object originalRequest,
                         @Advice.FieldValue("connection") Object connection, @Advice.Return Object returned,
                         @Advice.Thrown Throwable thrown) {
            okhttp3.Response response = (okhttp3.Response) returned;
            okhttp3.Request request = response != null ? response.request() : (okhttp3.Request) originalRequest;
            okhttp3.RequestBody body = request.body();
            long requestBytes = -1;
            try {
                requestBytes = body == null ? 0 : body.contentLength();
            } catch (java.io.IOException unknown) {
                // a streaming body: size unknown
            }
            HttpRecorder.SentOn on = HttpRecorder.takeSentOn();
            Object socket = connection != null ? ((okhttp3.Connection) connection).socket()
                : on != null ? on.socket() : null;
            HttpRecorder.exchange("okhttp", request.method(), request.url().toString(),
                response == null ? 0 : response.code(),
                response == null ? null : HttpRecorder.version(response.protocol()), start,
                requestBytes,
                response == null || response.body() == null ? -1 : response.body().contentLength(),
                socket, null, null, thrown);
        }
    }

    private OkHttpInstrumentation() {
    }
}
