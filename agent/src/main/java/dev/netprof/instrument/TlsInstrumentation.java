package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Op;
import dev.netprof.record.TlsRecorder;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SSLEngineResult;
import net.bytebuddy.asm.Advice;

/**
 * TLS in the JDK (sun.security.ssl): one instrumented type per class, sharing the advice below. A handshake starts
 * when a Client- or ServerHandshakeContext is being built, ends in {@code TransportContext.finishHandshake} or
 * {@code fatal} (the one place every TLS failure passes, even a swallowed one), in {@code TransportContext}'s
 * {@code closeInbound} or {@code closeOutbound} or {@code SSLSocketImpl.close} (a handshake cut short, canceled or
 * closed, which fatal never sees) or in {@code SSLSocketImpl.startHandshake(boolean)} throwing without a fatal (a
 * timeout of the public {@code startHandshake()} leaves the handshake open for the application to call again). A
 * TLS 1.3 client's finished handshake is ok or failed by the first record {@code SSLTransport.decode} gets from the
 * server after it. Plaintext is counted where the application hands it over: SSLSocket's app streams and SSLEngine's
 * 6-argument wrap/unwrap (every overload ends there). TLS 1.3 KeyUpdate messages, which are no handshake, are counted
 * where KeyUpdate produces or consumes one.
 */
final class TlsInstrumentation {
    static List<InstrumentedType> types() {
        return List.of(
            new InstrumentedType("sun.security.ssl.ClientHandshakeContext", Family.TLS, List.of(
                Hook.of("<init>(SSLContextImpl,TransportContext)", isConstructor().and(takesArguments(2)),
                    HandshakeStarted.class, Op.TLS_HANDSHAKE, 0))),
            new InstrumentedType("sun.security.ssl.ServerHandshakeContext", Family.TLS, List.of(
                Hook.of("<init>(SSLContextImpl,TransportContext)", isConstructor().and(takesArguments(2)),
                    HandshakeStarted.class, Op.TLS_HANDSHAKE, 0))),
            new InstrumentedType("sun.security.ssl.TransportContext", Family.TLS, List.of(
                Hook.of("finishHandshake()", named("finishHandshake").and(takesArguments(0)), HandshakeFinished.class,
                    Op.TLS_HANDSHAKE, 0),
                Hook.of("fatal(Alert,String,boolean,Throwable)", named("fatal").and(takesArguments(4))
                    .and(takesArgument(2, boolean.class)), Fatal.class, Op.TLS_HANDSHAKE, 0),
                Hook.of("closeInbound()", named("closeInbound").and(takesArguments(0)), Closed.class,
                    Op.TLS_HANDSHAKE, 0),
                Hook.of("closeOutbound()", named("closeOutbound").and(takesArguments(0)), Closed.class,
                    Op.TLS_HANDSHAKE, 0))),
            new InstrumentedType("sun.security.ssl.SSLTransport", Family.TLS, List.of(
                Hook.of("decode(TransportContext,ByteBuffer[],int,int,ByteBuffer[],int,int)", named("decode")
                    .and(takesArguments(7)), Decode.class, Op.TLS_HANDSHAKE, 0))),
            new InstrumentedType("sun.security.ssl.SSLSocketImpl", Family.TLS, List.of(
                Hook.of("startHandshake(boolean)", named("startHandshake").and(takesArguments(boolean.class)),
                    SocketHandshake.class, Op.TLS_HANDSHAKE, 0),
                Hook.of("close()", named("close").and(takesArguments(0)), SocketClose.class, Op.TLS_HANDSHAKE, 0))),
            new InstrumentedType("sun.security.ssl.SSLSocketImpl$AppInputStream", Family.TLS, List.of(
                Hook.of("read(byte[],int,int)", named("read").and(takesArguments(byte[].class, int.class, int.class)),
                    AppRead.class, Op.TLS_READ, 0))),
            new InstrumentedType("sun.security.ssl.SSLSocketImpl$AppOutputStream", Family.TLS, List.of(
                Hook.of("write(byte[],int,int)", named("write").and(takesArguments(byte[].class, int.class, int.class)),
                    AppWrite.class, Op.TLS_WRITE, 0))),
            new InstrumentedType("sun.security.ssl.SSLEngineImpl", Family.TLS, List.of(
                Hook.of("wrap(ByteBuffer[],int,int,ByteBuffer[],int,int)", named("wrap").and(takesArguments(
                    ByteBuffer[].class, int.class, int.class, ByteBuffer[].class, int.class, int.class)),
                    EngineWrap.class, Op.TLS_WRITE, 0),
                Hook.of("unwrap(ByteBuffer[],int,int,ByteBuffer[],int,int)", named("unwrap").and(takesArguments(
                    ByteBuffer[].class, int.class, int.class, ByteBuffer[].class, int.class, int.class)),
                    EngineUnwrap.class, Op.TLS_READ, 0))),
            new InstrumentedType("sun.security.ssl.KeyUpdate$KeyUpdateProducer", Family.TLS, List.of(
                Hook.of("produce(ConnectionContext,HandshakeMessage)", named("produce").and(takesArguments(2)),
                    KeyUpdate.class, Op.TLS_KEY_UPDATE, 0))),
            new InstrumentedType("sun.security.ssl.KeyUpdate$KeyUpdateConsumer", Family.TLS, List.of(
                Hook.of("consume(ConnectionContext,ByteBuffer)", named("consume").and(takesArguments(2)),
                    KeyUpdate.class, Op.TLS_KEY_UPDATE, 0))),
            new InstrumentedType("jdk.internal.net.http.common.SSLTube", Family.TLS, List.of(
                Hook.of("<init>(SSLEngine,Executor,Consumer,FlowTube)", isConstructor().and(takesArguments(4)),
                    EngineOverTube.class, Op.TLS_HANDSHAKE, 0))));
    }

    /** A TLS 1.3 KeyUpdate sent (produce) or received (consume). */
    static final class KeyUpdate {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object postHandshakeContext) {
            TlsRecorder.keyUpdate(postHandshakeContext);
        }
    }

    /**
     * At the constructor's entry, not its exit: a client or server with no protocol or cipher suite left to use (only
     * TLSv1.1 enabled, say) fails in the constructor, and the fatal that follows must find the handshake started.
     */
    static final class HandshakeStarted {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object transportContext) {
            TlsRecorder.started(transportContext);
        }
    }

    static final class HandshakeFinished {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.This Object transportContext) {
            return TlsRecorder.resuming(transportContext);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object transportContext, @Advice.Enter boolean resumed) {
            TlsRecorder.finished(transportContext, resumed);
        }
    }

    static final class Fatal {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transportContext, @Advice.Argument(0) Object alert,
                          @Advice.Argument(1) String diagnostic, @Advice.Argument(2) boolean received,
                          @Advice.Argument(3) Throwable cause) {
            TlsRecorder.failed(transportContext, alert, diagnostic, received, cause);
        }
    }

    /** closeInbound or closeOutbound: the method's name, a constant in the woven code, says which. */
    static final class Closed {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transportContext, @Advice.Origin("#m") String method) {
            TlsRecorder.closed(transportContext, method.equals("closeInbound"));
        }
    }

    /**
     * Every record received, SSLSocket or SSLEngine: the first after a TLS 1.3 client's Finished is the server's
     * answer to its handshake. A fatal alert in it throws, through {@code fatal}, which records the rejection.
     */
    static final class Decode {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) Object transportContext) {
            return TlsRecorder.unanswered(transportContext);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object transportContext, @Advice.Enter boolean unanswered,
                         @Advice.Thrown Throwable thrown) {
            if (unanswered && thrown == null) {
                TlsRecorder.notRejected(transportContext);
            }
        }
    }

    static final class SocketHandshake {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.FieldValue("conContext") Object transportContext, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                TlsRecorder.socketHandshakeThrew(transportContext, thrown);
            }
        }
    }

    /** The application closes an SSLSocket: at the entry, while a handshake it cuts short is still in progress. */
    static final class SocketClose {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("conContext") Object transportContext) {
            TlsRecorder.closed(transportContext, false);
        }
    }

    static final class AppRead {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object socket, @Advice.Return int n) {
            TlsRecorder.count(Op.TLS_READ, socket, n);
        }
    }

    static final class AppWrite {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object socket, @Advice.Argument(2) int len) {
            TlsRecorder.count(Op.TLS_WRITE, socket, len);
        }
    }

    static final class EngineWrap {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object engine, @Advice.Return SSLEngineResult result) {
            TlsRecorder.count(Op.TLS_WRITE, engine, result.bytesConsumed());
        }
    }

    static final class EngineUnwrap {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object engine, @Advice.Return SSLEngineResult result) {
            TlsRecorder.unwrapped(engine, result.bytesConsumed(), result.bytesProduced());
        }
    }

    /**
     * At the constructor's entry, not its exit: the constructor connects the engine to the socket tube, which can start
     * the handshake, and an unwrap of the server's hello on another thread before the tie would tie the engine by
     * guess to whatever connection that thread last used (an event loop serving several).
     */
    static final class EngineOverTube {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object engine, @Advice.Argument(3) Object tube) {
            TlsRecorder.engineOverTube(engine, tube);
        }
    }

    private TlsInstrumentation() {
    }
}
