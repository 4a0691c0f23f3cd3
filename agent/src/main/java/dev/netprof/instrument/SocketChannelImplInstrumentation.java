package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.SocketChannelImpl}: {@code SocketChannel}, in blocking and non-blocking mode, and through its
 * socket adaptor ({@code channel.socket()}), whose streams and connect call {@code blockingRead},
 * {@code blockingWriteFully} and {@code blockingConnect} rather than the public methods, so nothing is counted
 * twice. On JDK 22+ the public read/write wrap private {@code implRead}/{@code implWrite}, which stay unhooked.
 */
final class SocketChannelImplInstrumentation {
    static InstrumentedType type() {
        int api = Api.NIO;
        return new InstrumentedType("sun.nio.ch.SocketChannelImpl", Family.SOCKET, List.of(
            Hook.positioned("read(ByteBuffer)", named("read").and(takesArguments(ByteBuffer.class)),
                SharedAdvice.BufferTransfer.class, Op.READ, api),
            Hook.of("read(ByteBuffer[],int,int)", named("read").and(takesArguments(ByteBuffer[].class, int.class,
                int.class)), SharedAdvice.BuffersTransfer.class, Op.READ, api),
            Hook.positioned("write(ByteBuffer)", named("write").and(takesArguments(ByteBuffer.class)),
                SharedAdvice.BufferTransfer.class, Op.WRITE, api),
            Hook.of("write(ByteBuffer[],int,int)", named("write").and(takesArguments(ByteBuffer[].class, int.class,
                int.class)), SharedAdvice.BuffersTransfer.class, Op.WRITE, api),
            Hook.timed("blockingRead(byte[],int,int,long)", named("blockingRead").and(takesArguments(byte[].class,
                int.class, int.class, long.class)), BlockingRead.class, Op.READ, api),
            Hook.of("tryRead(byte[],int,int)", named("tryRead").and(takesArguments(byte[].class, int.class,
                int.class)), TryRead.class, Op.READ, api),
            Hook.of("endRead(boolean,boolean)", named("endRead").and(takesArguments(boolean.class, boolean.class)),
                EndInterrupted.class, Op.READ, api),
            Hook.timed("blockingWriteFully(byte[],int,int)", named("blockingWriteFully").and(takesArguments(
                byte[].class, int.class, int.class)), SharedAdvice.TransferAll.class, Op.WRITE, api),
            Hook.of("tryWrite(byte[],int,int)", named("tryWrite").and(takesArguments(byte[].class, int.class,
                int.class)), SharedAdvice.PartSent.class, Op.WRITE, api),
            Hook.of("endWrite(boolean,boolean)", named("endWrite").and(takesArguments(boolean.class, boolean.class)),
                EndInterrupted.class, Op.WRITE, api),
            Hook.timed("sendOutOfBandData(byte)", named("sendOutOfBandData").and(takesArguments(byte.class)),
                SharedAdvice.Transfer.class, Op.WRITE, api),
            Hook.timed("connect(SocketAddress)", named("connect").and(takesArguments(SocketAddress.class)),
                SharedAdvice.ConnectMaybe.class, Op.CONNECT, api),
            Hook.timed("finishConnect()", named("finishConnect").and(takesArguments(0)),
                SharedAdvice.ConnectMaybe.class, Op.FINISH_CONNECT, api),
            Hook.timed("blockingConnect(SocketAddress,long)", named("blockingConnect").and(takesArguments(2))
                .and(takesArgument(0, SocketAddress.class)), SharedAdvice.Connect.class, Op.CONNECT, api),
            Hook.timed("shutdownInput()", named("shutdownInput").and(takesArguments(0)), SharedAdvice.Shutdown.class,
                Op.SHUTDOWN_INPUT, api),
            Hook.timed("shutdownOutput()", named("shutdownOutput").and(takesArguments(0)),
                SharedAdvice.Shutdown.class, Op.SHUTDOWN_OUTPUT, api),
            Hook.timed("implCloseSelectableChannel()", named("implCloseSelectableChannel").and(takesArguments(0)),
                SharedAdvice.Close.class, Op.CLOSE, api)));
    }

    /**
     * {@code blockingRead(byte[] b, int off, int len, long nanos)}, a socket adaptor's stream read: as
     * {@link SharedAdvice.Transfer}, but a read that an interrupt failed after it got bytes ({@link EndInterrupted})
     * carries them. They left the socket, and the application never saw them.
     */
    static final class BlockingRead {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.Return int n, @Advice.Thrown Throwable thrown,
                         @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.transfer(op, api, self, start, n);
            } else {
                Recorder.failedInParts(op, self, start, thrown, off, len);
            }
        }
    }

    /**
     * {@code tryRead(byte[] b, int off, int len)}, one read of {@code blockingRead}: where in the array its bytes
     * ended, which nothing else knows once an interrupt fails the read after them.
     */
    static final class TryRead {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) int off, @Advice.Return int n) {
            if (n > 0) {
                Recorder.readTo(off + n);
            }
        }
    }

    /**
     * {@code endRead}/{@code endWrite(blocking, completed)} throwing ClosedByInterruptException: an interrupt closed
     * the channel during the transfer, which throws even when it had {@code completed}, having moved bytes. Then the
     * socket adaptor's failing {@code blockingRead} carries what its last read got ({@link TryRead}), and its
     * {@code blockingWriteFully}, which completes only when its sends took all its bytes (none came back short for
     * {@code PartSent} to keep), carries them all. The channel's other reads and writes end here too: they count
     * their buffers' positions instead and leave what this keeps unread, and its time keeps a later call from taking
     * it. (An out-of-band byte sent as the interrupt came is still lost.)
     */
    static final class EndInterrupted {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(1) boolean completed,
                         @Advice.Thrown Throwable thrown, @Bind.Op int op) {
            if (thrown != null && completed) {
                Recorder.interruptedAfterMoving(op, self);
            }
        }
    }

    private SocketChannelImplInstrumentation() {
    }
}
