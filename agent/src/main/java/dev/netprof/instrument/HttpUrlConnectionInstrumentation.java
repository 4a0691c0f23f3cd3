package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.UrlConnectionRecorder;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * HttpURLConnection and HttpsURLConnection (whose delegate is the same class): the exchange is the outermost
 * {@code getInputStream()}; {@code sun.net.www.http.HttpClient.parseHTTP} (JDK 17 and 25 differ in its
 * parameters) names the socket that carried the response.
 */
final class HttpUrlConnectionInstrumentation {
    static List<InstrumentedType> types() {
        return List.of(
            new InstrumentedType("sun.net.www.protocol.http.HttpURLConnection", Family.HTTP, List.of(
                Hook.of("getInputStream()", named("getInputStream").and(takesArguments(0))
                    .and(returns(InputStream.class)), Exchange.class, Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("sun.net.www.http.HttpClient", Family.HTTP, List.of(
                Hook.of("parseHTTP(MessageHeader,...,HttpURLConnection)", named("parseHTTP").and(returns(boolean.class)),
                    Parsed.class, Op.HTTP_EXCHANGE, 0))));
    }

    static final class Exchange {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            UrlConnectionRecorder.starting();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This HttpURLConnection connection, @Advice.FieldValue("method") String method,
                         @Advice.FieldValue("responseCode") int responseCode, @Advice.Thrown Throwable thrown) {
            UrlConnectionRecorder.done(connection, method, responseCode, thrown);
        }
    }

    static final class Parsed {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.FieldValue("serverSocket") Socket socket) {
            UrlConnectionRecorder.parsed(socket);
        }
    }

    private HttpUrlConnectionInstrumentation() {
    }
}
