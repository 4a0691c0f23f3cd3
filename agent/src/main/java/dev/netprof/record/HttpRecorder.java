package dev.netprof.record;

import dev.netprof.event.Op;
import dev.netprof.event.Outcome;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionException;

/**
 * HTTP exchanges as the client libraries see them, whichever library: each instrumentation hands over what it
 * knows (method, URI, status, version, sizes, the socket or the addresses that carried it, the failure) and this
 * class records it once. The exchange is also an event (op http) on the thread that made it, for the timeline and
 * the flame graphs; its connection is the TCP connection netprof knows by the socket, or, for libraries that only
 * tell addresses, the one the renderer finds by them. Equal connection ids across exchanges mean reuse.
 */
public final class HttpRecorder {
    /** The exchange was made on the thread that records it: its stack is decided and taken there. */
    static final int STACK_AT_END = -1;
    /** Query strings often carry tokens: they are cut unless {@code http.query=keep}. */
    static volatile boolean keepQuery;
    /**
     * The connection a synchronous exchange under way on this thread went out on, as its client learns it below the
     * call the exchange is recorded at: OkHttp's socket (a response without a body lets its call forget the
     * connection before the call returns), or Apache HttpClient's two addresses. Cleared as such an exchange starts,
     * so what a request sent outside an exchange left (httpcore5 used on its own) names no other exchange's.
     */
    private static final ThreadLocal<SentOn> SENT_ON = new ThreadLocal<>();

    /** A connection as a synchronous client learns it: its socket, or its two addresses. */
    public record SentOn(Object socket, SocketAddress local, SocketAddress remote) {
    }
    /**
     * Asynchronous exchanges sent and not yet completed, by the future that completes them (weakly: an abandoned
     * future takes its entry with it).
     */
    private static final WeakIdentityMap<Pending> PENDING = new WeakIdentityMap<>();

    /** What an asynchronous client knew when it sent a request, kept until the request's future completes. */
    public static final class Pending {
        final String client;
        final String method;
        final Object uri;
        final long requestBytes;
        final long startNs;
        final long thread;
        final int stack;
        /** The client's context object for the exchange: the instrumentation reads the response and peer from it. */
        public final Object context;

        Pending(Capture c, String client, String method, Object uri, long requestBytes, Object context) {
            this.client = client;
            this.method = method;
            this.uri = uri;
            this.requestBytes = requestBytes;
            this.context = context;
            this.startNs = FastClock.nanoTime();
            this.thread = Thread.currentThread().getId();
            this.stack = callerStack(c, startNs);
        }
    }

    /** A synchronous exchange that learns its connection below it ({@link #SENT_ON}) starts on this thread. */
    public static void exchangeStarting() {
        if (Recorder.current() != null) {
            SENT_ON.remove();
        }
    }

    /** The synchronous exchange under way on this thread goes out on {@code socket}. */
    public static void sentOn(Object socket) {
        if (Recorder.current() != null) {
            SENT_ON.set(new SentOn(socket, null, null));
        }
    }

    /** The synchronous exchange under way on this thread went out on the connection with these addresses. */
    public static void sentOn(SocketAddress local, SocketAddress remote) {
        if (Recorder.current() != null) {
            SENT_ON.set(new SentOn(null, local, remote));
        }
    }

    /** What the exchange under way on this thread went out on, or null; forgotten. */
    public static SentOn takeSentOn() {
        SentOn on = SENT_ON.get();
        if (on != null) {
            SENT_ON.remove();
        }
        return on;
    }

    /** An asynchronous client sent a request, on this thread; {@code future} completes it. */
    public static void asyncStarted(Object future, String client, String method, Object uri, long requestBytes,
                                    Object context) {
        Capture c = Recorder.current();
        if (c != null && future != null) {
            PENDING.put(future, new Pending(c, client, method, uri, requestBytes, context));
        }
    }

    /**
     * The exchange that {@code future} completes, taken out so that only its first completion, failure or
     * cancellation records it; null for the many futures that complete no exchange.
     */
    public static Pending asyncEnded(Object future) {
        return PENDING.remove(future);
    }

    /**
     * An asynchronous exchange ended. Without the connection's addresses, a response is taken to have come on the
     * connection this thread (the client's I/O thread, which completes the future when the last bytes arrive) read
     * last.
     */
    public static void asyncExchange(Pending p, int status, String version, long responseBytes, SocketAddress local,
                                     SocketAddress remote, Throwable thrown) {
        Capture c = Recorder.current();
        if (c != null) {
            long id = local == null && thrown == null ? Recorder.lastConnection() : 0;
            record(c, p.client, p.method, p.uri, status, version, p.startNs, p.thread, p.requestBytes, responseBytes,
                id, local, remote, thrown, p.stack);
        }
    }

    /** {@code HTTP/1.1}, {@code HTTP/2}: a protocol version as the exchanges report it. */
    public static String version(int major, int minor) {
        return major == 2 ? "HTTP/2" : "HTTP/" + major + "." + minor;
    }

    /**
     * The same, from the enum constant a client names its protocol by (the JDK HttpClient's {@code Version}, OkHttp's
     * {@code Protocol}): cleartext HTTP/2 with prior knowledge is HTTP/2 too.
     */
    public static String version(Object protocol) {
        String name = protocol instanceof Enum<?> e ? e.name() : String.valueOf(protocol);
        return switch (name) {
            case "HTTP_1_0" -> "HTTP/1.0";
            case "HTTP_1_1" -> "HTTP/1.1";
            case "HTTP_2", "H2_PRIOR_KNOWLEDGE" -> "HTTP/2";
            case "HTTP_3", "QUIC" -> "HTTP/3";
            default -> name;
        };
    }

    /**
     * A Content-Length header's value, or -1 (unknown) when there is none or it is not a length: a server's junk
     * must not cost the exchange, which is recorded after the client has let go of it.
     */
    public static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static void keepQuery(boolean keep) {
        keepQuery = keep;
    }

    /**
     * A finished or failed exchange, on the thread that made it. {@code carrier} is a Socket, a SocketChannel or
     * null; {@code local} and {@code remote} name the connection when there is no carrier.
     */
    public static void exchange(String client, String method, Object uri, int status, String version, long startNs,
                                long requestBytes, long responseBytes, Object carrier, SocketAddress local,
                                SocketAddress remote, Throwable thrown) {
        exchange(client, method, uri, status, version, startNs, Thread.currentThread().getId(), requestBytes,
            responseBytes, carrier, local, remote, thrown, STACK_AT_END);
    }

    /**
     * The same, completed on another thread than {@code thread}, the one that made the request; {@code stack} was
     * taken there when it started ({@link #callerStack}), or is {@link #STACK_AT_END} for one made on this thread.
     */
    static void exchange(String client, String method, Object uri, int status, String version, long startNs,
                         long thread, long requestBytes, long responseBytes, Object carrier, SocketAddress local,
                         SocketAddress remote, Throwable thrown, int stack) {
        Capture c = Recorder.current();
        if (c == null) {
            return;
        }
        long id = Carriers.connectionOf(c, carrier);
        if (id != 0) {
            local = remote = null; // the connection names them; asking the socket takes its lock, formatting allocates
        } else if (carrier != null) {
            if (carrier instanceof Socket) {
                local = ((Socket) carrier).getLocalSocketAddress();
                remote = ((Socket) carrier).getRemoteSocketAddress();
            } else if (carrier instanceof SocketChannel) {
                local = address((NetworkChannel) carrier, true);
                remote = address((NetworkChannel) carrier, false);
            }
        }
        record(c, client, method, uri, status, version, startNs, thread, requestBytes, responseBytes, id, local, remote,
            thrown, stack);
    }

    /**
     * The stack of an asynchronous exchange, taken on the application's thread as it starts the request (the thread
     * that completes it runs only the client's internals): when the exchanges' sampling interval picks it, since
     * whether the exchange will be slow or fail is not known yet.
     */
    static int callerStack(Capture c, long startNs) {
        return c.exchangeSampling.wants(startNs, 0, false, null) ? c.stacks.capture() : 0;
    }

    private static void record(Capture c, String client, String method, Object uri, int status, String version,
                               long startNs, long thread, long requestBytes, long responseBytes, long id,
                               SocketAddress local, SocketAddress remote, Throwable thrown, int stack) {
        long end = FastClock.nanoTime();
        HttpTargets.Target target = c.httpTargets.of(method, uri);
        // An asynchronous client completes its future with a wrapper; the caller of send() gets what is inside.
        while (thrown instanceof CompletionException && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        String error = thrown == null ? null : Recorder.describe(thrown);
        c.catalog.add(new Catalog.HttpInfo(client, method, target.uri(), status, version, startNs, end - startNs,
            requestBytes, responseBytes, id, Endpoints.format(local), Endpoints.format(remote), error, thread));
        if (stack == STACK_AT_END) {
            // Sampled like reads and writes (a stack walk costs as much as a whole loopback exchange); failures
            // keep theirs as every failed operation does.
            boolean sampled = thrown != null || c.exchangeSampling.wants(end, end - startNs, false, null);
            stack = sampled ? c.stacks.capture() : 0;
        }
        Recorder.emitFor(c, thread, Op.HTTP_EXCHANGE, Outcome.ofExchange(thrown), target.label(), startNs, end, id,
            Math.max(0, responseBytes), stack);
    }

    private static SocketAddress address(NetworkChannel channel, boolean local) {
        try {
            return local ? channel.getLocalAddress() : ((SocketChannel) channel).getRemoteAddress();
        } catch (Exception e) {
            return null;
        }
    }

    private HttpRecorder() {
    }
}
