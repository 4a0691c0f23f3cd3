package dev.netprof.instrument;

import dev.netprof.record.FastClock;
import dev.netprof.record.Recorder;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import net.bytebuddy.asm.Advice;

/**
 * Advice shared by every instrumented type whose methods have the same shape. Each is inlined into the JDK method,
 * so it may only call bootstrap-visible code ({@link Recorder}); each suppresses its own throwables, so netprof can
 * never make a socket call fail.
 */
final class SharedAdvice {
    /** Enter: the start time. The only work on the way in. */
    static final class Clock {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return FastClock.nanoTime();
        }
    }

    /** read/write returning the byte count (int or long; -1 at end of stream). */
    static final class Transfer {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Return long n,
                         @Advice.Thrown Throwable thrown, @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.transfer(op, api, self, start, n);
            } else {
                Recorder.failed(op, self, start, thrown);
            }
        }
    }

    /**
     * Enter, for a method whose first argument is the ByteBuffer it fills or drains: the start time, and the buffer's
     * position, so that the exit can tell how far it moved.
     */
    static final class ClockAndPosition {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) ByteBuffer buffer, @Advice.Local("start") long start,
                          @Advice.Local("position") int position) {
            start = FastClock.nanoTime();
            position = buffer.position();
        }
    }

    /**
     * A channel's {@code read(ByteBuffer)} or {@code write(ByteBuffer)}, after {@link ClockAndPosition}: as
     * {@link Transfer}, but when it throws, its bytes are how far the buffer's position moved. An interrupt that lands
     * during a blocking transfer closes the channel and throws {@code ClosedByInterruptException} after the bytes
     * already moved, which did cross the wire (a blocking write of 64 MiB cut short this way had sent 3.9 MB).
     */
    static final class BufferTransfer {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) ByteBuffer buffer, @Advice.Return long n,
                         @Advice.Thrown Throwable thrown, @Advice.Local("start") long start,
                         @Advice.Local("position") int position, @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.transfer(op, api, self, start, n);
            } else {
                Recorder.failedAfter(op, self, start, thrown, Recorder.movedSince(buffer, position));
            }
        }
    }

    /** {@link BufferTransfer} for a scattering read or gathering write, {@code (ByteBuffer[] b, int off, int len)}. */
    static final class BuffersTransfer {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) ByteBuffer[] buffers, @Advice.Argument(1) int off,
                          @Advice.Argument(2) int len, @Advice.Local("start") long start,
                          @Advice.Local("position") long position) {
            start = FastClock.nanoTime();
            position = Recorder.positions(buffers, off, len);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] buffers,
                         @Advice.Argument(1) int off, @Advice.Argument(2) int len, @Advice.Return long n,
                         @Advice.Thrown Throwable thrown, @Advice.Local("start") long start,
                         @Advice.Local("position") long position, @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.transfer(op, api, self, start, n);
            } else {
                Recorder.failedAfter(op, self, start, thrown, Recorder.positions(buffers, off, len) - position);
            }
        }
    }

    /**
     * {@code void write(byte[] b, int off, int len)}: writes all {@code len} bytes or throws. It sends in parts, and
     * when a part fails after others went out ({@link PartSent}), the failure carries what they took.
     */
    static final class TransferAll {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.Thrown Throwable thrown, @Bind.Op int op,
                         @Bind.Api int api) {
            if (thrown == null) {
                Recorder.transfer(op, api, self, start, len);
            } else {
                Recorder.failedInParts(op, self, start, thrown, off, len);
            }
        }
    }

    /**
     * One send of a {@link TransferAll} write, {@code (byte[] b, int pos, int len)}: where the write had got to, when
     * the write may end here without its bytes all sent. NioSocketImpl's send throws when a close stops its write;
     * a channel's comes back short and its write loop then throws, having seen the channel closed, perhaps only after
     * a park on a virtual thread. A send that took everything does nothing.
     */
    static final class PartSent {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(1) int pos, @Advice.Argument(2) int len,
                         @Advice.Return int n, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                Recorder.sendEnded(self, pos);
            } else if (n < len && self instanceof Channel) {
                Recorder.sendEnded(self, n > 0 ? pos + n : pos);
            }
        }
    }

    /** A blocking {@code void connect(SocketAddress, ...)}: connected when it returns. */
    static final class Connect {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Argument(0) Object remote,
                         @Advice.Thrown Throwable thrown, @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.connected(op, api, self, start, true);
            } else {
                Recorder.connectFailed(op, api, self, start, remote, thrown);
            }
        }
    }

    /** {@code boolean connect(SocketAddress)} / {@code boolean finishConnect()}: false while still pending. */
    static final class ConnectMaybe {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Return boolean connected,
                         @Advice.Argument(value = 0, optional = true) Object remote,
                         @Advice.Thrown Throwable thrown, @Bind.Op int op, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.connected(op, api, self, start, connected);
            } else {
                Recorder.connectFailed(op, api, self, start, remote, thrown);
            }
        }
    }

    /** An accept that returns the new socket (null when non-blocking and nobody was waiting). */
    static final class AcceptReturning {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Return Object accepted, @Advice.Thrown Throwable thrown,
                         @Bind.Api int api) {
            if (thrown == null) {
                Recorder.accepted(api, accepted, start);
            } else {
                Recorder.acceptFailed(thrown, start);
            }
        }
    }

    /** An accept that fills in the socket passed as its first argument. */
    static final class AcceptInto {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long start, @Advice.Argument(0) Object accepted,
                         @Advice.Thrown Throwable thrown, @Bind.Api int api) {
            if (thrown == null) {
                Recorder.accepted(api, accepted, start);
            } else {
                Recorder.acceptFailed(thrown, start);
            }
        }
    }

    static final class Shutdown {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Thrown Throwable thrown,
                         @Bind.Op int op) {
            Recorder.shutdown(op, self, start, thrown);
        }
    }

    static final class Close {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long start, @Advice.Thrown Throwable thrown,
                         @Bind.Api int api) {
            Recorder.closed(api, self, start, thrown);
        }
    }

    private SharedAdvice() {
    }
}
