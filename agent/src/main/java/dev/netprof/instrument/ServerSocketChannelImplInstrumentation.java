package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import java.util.List;

/**
 * {@code sun.nio.ch.ServerSocketChannelImpl}: {@code accept()} for channels, {@code blockingAccept(long)} for the
 * {@code ServerSocket} adaptor of a channel ({@code serverChannel.socket().accept()}). Neither calls the other.
 */
final class ServerSocketChannelImplInstrumentation {
    static InstrumentedType type() {
        int api = Api.NIO;
        return new InstrumentedType("sun.nio.ch.ServerSocketChannelImpl", Family.SOCKET, List.of(
            Hook.timed("accept()", named("accept").and(takesArguments(0)), SharedAdvice.AcceptReturning.class,
                Op.ACCEPT, api),
            Hook.timed("blockingAccept(long)", named("blockingAccept").and(takesArguments(long.class)),
                SharedAdvice.AcceptReturning.class, Op.ACCEPT, api)));
    }

    private ServerSocketChannelImplInstrumentation() {
    }
}
