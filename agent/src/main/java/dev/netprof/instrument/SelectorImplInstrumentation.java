package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.SelectorImpl}: every {@code select()}, {@code select(long)}, {@code selectNow()} and the
 * {@code select(Consumer)} variants end in its private {@code lockAndDoSelect}, so each select is recorded once.
 * (With a Consumer, the selected keys' handlers run inside it and count as select time.) With it, the channels still
 * registered when it returns: read from the private set, since the public {@code keys()} throws once the selector is
 * closed. A selector left holding none has nobody waiting on it, as in XNIO's blocking reads, which register one
 * channel with a selector of the thread's own, select, cancel the key and {@code selectNow()} to drop it.
 */
final class SelectorImplInstrumentation {
    static InstrumentedType type() {
        return new InstrumentedType("sun.nio.ch.SelectorImpl", Family.SELECT, List.of(
            Hook.timed("lockAndDoSelect(Consumer,long)", named("lockAndDoSelect").and(takesArguments(2)), Select.class,
                Op.SELECT, Api.NIO)));
    }

    static final class Select {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object selector, @Advice.Enter long start, @Advice.Return int ready,
                         @Advice.FieldValue("keys") Set<?> registered, @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Recorder.selected(start, ready, registered.size(), selector);
            } else {
                Recorder.selectFailed(start, thrown);
            }
        }
    }

    private SelectorImplInstrumentation() {
    }
}
