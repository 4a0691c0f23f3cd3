package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.io.FileDescriptor;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.Net.localAddress(FileDescriptor)}: NioSocketImpl asks it for the local address as a
 * {@code Socket} connects or accepts, keeps only the port and drops the rest. Asking again is a Socket's only way to
 * tell its local address ({@code getOption(SO_BINDADDR)}: two getsockname calls and an InetAddress made through JNI,
 * about 1.8 µs a connection end), so the recorder takes the answer the JDK already had.
 */
final class NetInstrumentation {
    static InstrumentedType type() {
        return new InstrumentedType("sun.nio.ch.Net", Family.SOCKET, List.of(
            Hook.of("localAddress(FileDescriptor)", named("localAddress").and(takesArguments(FileDescriptor.class)),
                LocalAddress.class, Op.CONNECT, Api.SOCKET)));
    }

    static final class LocalAddress {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object fd, @Advice.Return Object address) {
            Recorder.localAddressRead(fd, address);
        }
    }

    private NetInstrumentation() {
    }
}
