package dev.netprof.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumented method: how to find it, which advice runs around it, and the constants that advice gets.
 * {@code shape} names the method in reports, so a JDK where it is missing says exactly what is not recorded.
 */
record Hook(String shape, ElementMatcher<? super MethodDescription> method, Class<?> enter, Class<?> exit, int op,
            int api) {

    /** Advice whose enter and exit live in one class. */
    static Hook of(String shape, ElementMatcher<? super MethodDescription> method, Class<?> advice, int op, int api) {
        return new Hook(shape, method, advice, advice, op, api);
    }

    /** The clock and the position of the ByteBuffer in the first argument on enter ({@code @Advice.Local}s). */
    static Hook positioned(String shape, ElementMatcher<? super MethodDescription> method, Class<?> exit, int op,
                           int api) {
        return new Hook(shape, method, SharedAdvice.ClockAndPosition.class, exit, op, api);
    }

    /** The usual case: the shared clock on enter, a shared exit advice. */
    static Hook timed(String shape, ElementMatcher<? super MethodDescription> method, Class<?> exit, int op, int api) {
        return new Hook(shape, method, SharedAdvice.Clock.class, exit, op, api);
    }
}
