package dev.netprof.instrument;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Constants bound into shared advice per instrumented method, so one advice class serves every method of the same
 * shape: {@code @Bind.Op int op} becomes e.g. {@code Op.READ} inlined as a constant, never looked up at run time.
 */
final class Bind {
    /** The {@link dev.netprof.event.Op} of the instrumented method. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Op {
    }

    /** The {@link dev.netprof.event.Api} of the instrumented type. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Api {
    }

    private Bind() {
    }
}
