package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.nio.channels.SocketChannel;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.FileChannelImpl}: {@code transferTo} a socket, as file servers, Kafka and Netty's file regions
 * send files. Its direct path hands the socket's descriptor to sendfile and never calls the channel's
 * {@code write}, so without this hook those bytes would be missing from the connection. Only that path is hooked:
 * the fallbacks (a mapped buffer, a copy) do call {@code write}, which records them once. The direct path is
 * {@code transferToSocketChannel} on JDK 25 and {@code transferToDirectlyInternal} (for files, pipes and sockets
 * alike) on JDK 17; in both the target is the third argument, and a JDK with neither is reported as unmatched.
 * {@code transferFrom} a socket reads it through the socket's {@code read}.
 */
final class FileChannelImplInstrumentation {
    static InstrumentedType type() {
        return new InstrumentedType("sun.nio.ch.FileChannelImpl", Family.SOCKET, List.of(
            Hook.timed("transferTo's direct path", named("transferToSocketChannel")
                .or(named("transferToDirectlyInternal")), SendFile.class, Op.WRITE, Api.NIO)));
    }

    /** A negative count: the direct path could not take this transfer, and a fallback will, through write. */
    static final class SendFile {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(2) Object target, @Advice.Enter long start, @Advice.Return long n,
                         @Advice.Thrown Throwable thrown, @Bind.Op int op, @Bind.Api int api) {
            if (!(target instanceof SocketChannel)) {
                return;
            }
            if (thrown != null) {
                Recorder.failed(op, target, start, thrown);
            } else if (n >= 0) {
                Recorder.transfer(op, api, target, start, n);
            }
        }
    }

    private FileChannelImplInstrumentation() {
    }
}
