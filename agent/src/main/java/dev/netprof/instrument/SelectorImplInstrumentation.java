package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.netprof.event.Api;
import dev.netprof.event.Op;
import dev.netprof.record.Recorder;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.SelectorImpl}: every {@code select()}, {@code select(long)}, {@code selectNow()} and the
 * {@code select(Consumer)} variants end in its private {@code lockAndDoSelect}, so each select is recorded once.
 * (With a Consumer, the selected keys' handlers run inside it and count as select time.)
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
                         @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                Recorder.selected(start, ready, selector);
            } else {
                Recorder.selectFailed(start, thrown);
            }
        }
    }

    private SelectorImplInstrumentation() {
    }
}
