package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.HttpRecorder;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Apache HttpClient 5, classic API ({@code org.apache.hc.client5.http.impl.classic.InternalHttpClient.doExecute}):
 * every execute overload ends there, once per request with its redirects and retries. The connection is named by
 * its local and remote addresses, which {@code HttpRequestExecutor.execute} sees below it on the same thread.
 * Matched by name only, so an application without HttpClient 5 never loads it.
 */
final class ApacheHttpClientInstrumentation {
    static List<InstrumentedType> types() {
        return List.of(
            new InstrumentedType("org.apache.hc.client5.http.impl.classic.InternalHttpClient", Family.HTTP,
                List.of(Hook.timed("doExecute(HttpHost,ClassicHttpRequest,HttpContext)", named("doExecute")
                    .and(takesArguments(3)), Execute.class, Op.HTTP_EXCHANGE, 0))),
            new InstrumentedType("org.apache.hc.core5.http.impl.io.HttpRequestExecutor", Family.HTTP,
                List.of(Hook.of("execute(ClassicHttpRequest,HttpClientConnection,HttpResponseInformationCallback,"
                    + "HttpContext)", named("execute").and(takesArguments(4)), SentOn.class, Op.HTTP_EXCHANGE, 0))));
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
            HttpRecorder.exchange("apache-httpclient5", request.getMethod(), uri, response == null ? 0 : response.getCode(),
                version == null ? null : version.getMajor() == 2 ? "HTTP/2" : "HTTP/" + version.getMajor() + "."
                + version.getMinor(), start, Thread.currentThread().getId(),
                requestEntity == null ? 0 : requestEntity.getContentLength(),
                responseEntity == null ? -1 : responseEntity.getContentLength(), null, null, null, thrown);
        }
    }

    private ApacheHttpClientInstrumentation() {
    }
}
