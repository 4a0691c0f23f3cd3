package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.JdkHttpClientRecorder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import net.bytebuddy.asm.Advice;

/**
 * The JDK's java.net.http.HttpClient: {@code MultiExchange.responseAsync(Executor)} is one logical request for
 * send and sendAsync alike, HTTP/1.1 and HTTP/2; the recorder reads the rest when its future completes.
 */
final class JdkHttpClientInstrumentation {
    static List<InstrumentedType> types() {
        return List.of(
            new InstrumentedType("jdk.internal.net.http.MultiExchange", Family.HTTP, List.of(
                Hook.timed("responseAsync(Executor)", named("responseAsync").and(takesArguments(Executor.class)),
                    Started.class, Op.HTTP_EXCHANGE, 0))));
    }

    static final class Started {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object multiExchange, @Advice.Enter long start,
                         @Advice.Return CompletableFuture<?> future) {
            JdkHttpClientRecorder.started(multiExchange, future, start);
        }
    }

    private JdkHttpClientInstrumentation() {
    }
}
