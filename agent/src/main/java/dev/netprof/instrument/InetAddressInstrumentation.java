package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.netprof.event.Op;
import dev.netprof.record.DnsRecorder;
import java.net.InetAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code java.net.InetAddress}: every name lookup (getByName, getAllByName, and the clients' own) goes through
 * {@code getAllByName0}, whose shape differs between JDK 17 and 25 and which has delegating overloads; all are
 * hooked and the recorder counts the nesting, so each lookup is recorded once. {@code getAddressesFromNameService}
 * inside it is an actual question to the resolver: a lookup without one came from the JVM's cache. A reverse lookup
 * ({@code getHostFromNameService}) is one too, with the lookup of the name it found, which confirms it, inside.
 */
final class InetAddressInstrumentation {
    static InstrumentedType type() {
        return new InstrumentedType("java.net.InetAddress", Family.DNS, List.of(
            Hook.of("getAllByName0(String,...)", named("getAllByName0").and(takesArgument(0, String.class))
                .and(returns(InetAddress[].class)), Lookup.class, Op.DNS_LOOKUP, 0),
            Hook.of("getAddressesFromNameService(String,...)", named("getAddressesFromNameService")
                .and(takesArgument(0, String.class)), AskResolver.class, Op.DNS_LOOKUP, 0),
            Hook.of("getHostFromNameService(InetAddress,...)", named("getHostFromNameService")
                .and(takesArgument(0, InetAddress.class)), ReverseLookup.class, Op.DNS_LOOKUP, 0)));
    }

    static final class Lookup {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            DnsRecorder.lookupStarting();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) String host, @Advice.Return Object[] addresses,
                         @Advice.Thrown Throwable thrown) {
            DnsRecorder.lookupDone(host, addresses, thrown);
        }
    }

    /** getHostName, getCanonicalHostName: a name for an address, confirmed by a lookup of that name inside. */
    static final class ReverseLookup {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            DnsRecorder.reverseLookupStarting();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) InetAddress address, @Advice.Return String name,
                         @Advice.Thrown Throwable thrown) {
            DnsRecorder.reverseLookupDone(address, name, thrown);
        }
    }

    static final class AskResolver {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            DnsRecorder.resolverAsked();
        }
    }

    private InetAddressInstrumentation() {
    }
}
