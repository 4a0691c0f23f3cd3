package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.DatagramChannelImpl}: {@code DatagramChannel}, and {@code DatagramSocket}, which delegates to a
 * DatagramChannel on 17+. Sends from both APIs end in {@code send(ByteBuffer, SocketAddress)}; receives do not:
 * the socket's receive is {@code blockingReceive}, whose shape changed in JDK 21 (a ByteBuffer returning the sender
 * on 17, a DatagramPacket filled in place later), so both shapes are hooked and whichever exists matches.
 * Each datagram is attributed to its (local socket, peer) flow.
 */
final class DatagramChannelImplInstrumentation {
    static InstrumentedType type() {
        int api = Api.DATAGRAM;
        return new InstrumentedType("sun.nio.ch.DatagramChannelImpl", Family.UDP, List.of(
            Hook.positioned("send(ByteBuffer,SocketAddress)", named("send").and(takesArguments(ByteBuffer.class,
                SocketAddress.class)).and(returns(int.class)), Send.class, Op.SEND, api),
            Hook.positioned("receive(ByteBuffer)", named("receive").and(takesArguments(ByteBuffer.class)),
                ReceiveIntoBuffer.class, Op.RECEIVE, api),
            Hook.positioned("blockingReceive(ByteBuffer,long) (JDK < 21)", named("blockingReceive").and(takesArguments(
                ByteBuffer.class, long.class)), ReceiveIntoBuffer.class, Op.RECEIVE, api),
            Hook.timed("blockingReceive(DatagramPacket,long) (JDK 21+)", named("blockingReceive").and(takesArguments(
                DatagramPacket.class, long.class)), ReceiveIntoPacket.class, Op.RECEIVE, api),
            Hook.positioned("read(ByteBuffer)", named("read").and(takesArguments(ByteBuffer.class)),
                ConnectedBufferTransfer.class, Op.RECEIVE, api),
            Hook.timed("read(ByteBuffer[],int,int)", named("read").and(takesArguments(ByteBuffer[].class, int.class,
                int.class)), ConnectedTransfer.class, Op.RECEIVE, api),
            Hook.positioned("write(ByteBuffer)", named("write").and(takesArguments(ByteBuffer.class)),
                ConnectedBufferTransfer.class, Op.SEND, api),
            Hook.timed("write(ByteBuffer[],int,int)", named("write").and(takesArguments(ByteBuffer[].class, int.class,
                int.class)), ConnectedTransfer.class, Op.SEND, api),
            Hook.timed("connect(SocketAddress,boolean)", named("connect").and(takesArguments(2))
                .and(takesArgument(0, SocketAddress.class)), Connect.class, Op.CONNECT, api),
            Hook.timed("implCloseSelectableChannel()", named("implCloseSelectableChannel").and(takesArguments(0)),
                SharedAdvice.Close.class, Op.CLOSE, api)));
    }

    /**
     * {@code int send(ByteBuffer src, SocketAddress target)}: when it throws, a datagram went if src's position moved
     * (an interrupt as the send returned).
     */
    static final class Send {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) ByteBuffer src, @Advice.Return int n,
                         @Advice.Argument(1) Object target, @Advice.Thrown Throwable thrown,
                         @Advice.Local("start") long start, @Advice.Local("position") int position) {
            if (thrown == null) {
                Recorder.datagram(Op.SEND, self, start, n, target);
            } else {
                Recorder.datagramFailed(Op.SEND, self, start, target, thrown, Recorder.movedSince(src, position));
            }
        }
    }

    /** {@code SocketAddress receive(ByteBuffer dst, ...)}: the size is how far dst's position moved. */
    static final class ReceiveIntoBuffer {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) ByteBuffer dst, @Advice.Return Object sender,
                         @Advice.Thrown Throwable thrown, @Advice.Local("start") long start,
                         @Advice.Local("position") int position) {
            if (thrown == null) {
                Recorder.datagram(Op.RECEIVE, self, start, Recorder.movedSince(dst, position), sender);
            } else {
                Recorder.datagramFailed(Op.RECEIVE, self, start, null, thrown);
            }
        }
    }

    /** {@code void blockingReceive(DatagramPacket p, long nanos)}: p holds the size and the sender afterwards. */
    static final class ReceiveIntoPacket {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Argument(0) DatagramPacket p,
                         @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Recorder.datagram(Op.RECEIVE, self, start, p.getLength(), p.getSocketAddress());
            } else {
                Recorder.datagramFailed(Op.RECEIVE, self, start, null, thrown);
            }
        }
    }

    /**
     * {@code read(ByteBuffer)}/{@code write(ByteBuffer)} on a connected channel: as {@link ConnectedTransfer}, and when
     * it throws, a datagram moved if the buffer's position did (an interrupt as the call returned).
     */
    static final class ConnectedBufferTransfer {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) ByteBuffer buffer, @Advice.Return long n,
                         @Advice.FieldValue("remoteAddress") Object peer, @Advice.Thrown Throwable thrown,
                         @Advice.Local("start") long start, @Advice.Local("position") int position,
                         @Bind.Op int op) {
            if (thrown == null) {
                Recorder.datagram(op, self, start, n, peer);
            } else {
                Recorder.datagramFailed(op, self, start, peer, thrown, Recorder.movedSince(buffer, position));
            }
        }
    }

    /** Scattering read/gathering write on a connected channel: the peer is the connected address. */
    static final class ConnectedTransfer {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Return long n,
                         @Advice.FieldValue("remoteAddress") Object peer, @Advice.Thrown Throwable thrown,
                         @Bind.Op int op) {
            if (thrown == null) {
                Recorder.datagram(op, self, start, n, peer);
            } else {
                Recorder.datagramFailed(op, self, start, peer, thrown);
            }
        }
    }

    /** {@code connect(SocketAddress, boolean)}: no datagram moves, but the flow to that peer starts here. */
    static final class Connect {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Argument(0) Object remote,
                         @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Recorder.datagram(Op.CONNECT, self, start, 0, remote);
            } else {
                Recorder.datagramFailed(Op.CONNECT, self, start, remote, thrown);
            }
        }
    }

    private DatagramChannelImplInstrumentation() {
    }
}
