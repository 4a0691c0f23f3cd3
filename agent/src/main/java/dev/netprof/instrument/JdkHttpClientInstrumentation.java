package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.JdkHttpClientRecorder;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import net.bytebuddy.asm.Advice;

/**
 * The JDK's java.net.http.HttpClient: {@code MultiExchange.responseAsync(Executor)} is one logical request for
 * send and sendAsync alike; the 7-argument {@code Response} constructor (every response, HTTP/1.1 and HTTP/2, ends
 * there) says which connection carried it.
 */
final class JdkHttpClientInstrumentation {
    static List<InstrumentedType> types() {
        return List.of(
            new InstrumentedType("jdk.internal.net.http.MultiExchange", Family.HTTP, List.of(
                Hook.timed("responseAsync(Executor)", named("responseAsync").and(takesArguments(Executor.class)),
                    Started.class, Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("jdk.internal.net.http.Response", Family.HTTP, List.of(
                Hook.of("<init>(HttpRequestImpl,Exchange,HttpHeaders,HttpConnection,int,Version,boolean)",
                    isConstructor().and(takesArguments(7)).and(takesArgument(2, HttpHeaders.class)), Responded.class,
                    Op.HTTP_EXCHANGE, 0))));
    }

    static final class Started {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object multiExchange, @Advice.Enter long start,
                         @Advice.Return CompletableFuture<?> future) {
            JdkHttpClientRecorder.started(multiExchange, future, start);
        }
    }

    static final class Responded {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Object exchange, @Advice.Argument(2) Object headers,
                         @Advice.Argument(3) Object connection, @Advice.Argument(6) boolean isConnect) {
            JdkHttpClientRecorder.responded(exchange, connection, headers, isConnect);
        }
    }

    private JdkHttpClientInstrumentation() {
    }
}
