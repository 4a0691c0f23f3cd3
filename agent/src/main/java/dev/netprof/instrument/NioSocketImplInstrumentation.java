package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.NioSocketImpl}: every {@code java.net.Socket} and {@code ServerSocket} since JDK 13, and the
 * ciphertext of {@code SSLSocket}. The stream classes above it ({@code Socket}'s streams, JFR's wrappers on 22+)
 * all end in these private methods, so each application call is recorded once. {@code connect(String, int)} and
 * {@code connect(InetAddress, int)} delegate to the hooked {@code connect(SocketAddress, int)}.
 */
final class NioSocketImplInstrumentation {
    static InstrumentedType type() {
        int api = Api.SOCKET;
        return new InstrumentedType("sun.nio.ch.NioSocketImpl", Family.SOCKET, List.of(
            Hook.timed("read(byte[],int,int)", named("read").and(takesArguments(byte[].class, int.class, int.class))
                .and(returns(int.class)), SharedAdvice.Transfer.class, Op.READ, api),
            Hook.timed("write(byte[],int,int)", named("write").and(takesArguments(byte[].class, int.class, int.class)),
                SharedAdvice.TransferAll.class, Op.WRITE, api),
            Hook.of("implWrite(byte[],int,int)", named("implWrite").and(takesArguments(byte[].class, int.class,
                int.class)), SharedAdvice.PartSent.class, Op.WRITE, api),
            Hook.timed("sendUrgentData(int)", named("sendUrgentData").and(takesArguments(int.class)),
                UrgentData.class, Op.WRITE, api),
            Hook.timed("connect(SocketAddress,int)", named("connect").and(takesArguments(2))
                .and(takesArgument(0, SocketAddress.class)), SharedAdvice.Connect.class, Op.CONNECT, api),
            Hook.timed("accept(SocketImpl)", named("accept").and(takesArguments(1)), SharedAdvice.AcceptInto.class,
                Op.ACCEPT, api),
            Hook.timed("shutdownInput()", named("shutdownInput").and(takesArguments(0)), SharedAdvice.Shutdown.class,
                Op.SHUTDOWN_INPUT, api),
            Hook.timed("shutdownOutput()", named("shutdownOutput").and(takesArguments(0)),
                SharedAdvice.Shutdown.class, Op.SHUTDOWN_OUTPUT, api),
            Hook.timed("close()", named("close").and(takesArguments(0)), SharedAdvice.Close.class, Op.CLOSE, api)));
    }

    /** {@code void sendUrgentData(int)}: one byte, out of band, or a throw. */
    static final class UrgentData {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Thrown Throwable thrown,
                         @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.transfer(op, api, self, start, 1);
            } else {
                Recorder.failed(op, self, start, thrown);
            }
        }
    }

    private NioSocketImplInstrumentation() {
    }
}
