package dev.netprof.agent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Defines classes in the bootstrap class loader. Loaded only by a private class loader of its own (see
 * {@link Bootstrap}), whose module alone is granted {@code jdk.internal.misc}: neither the application nor the rest
 * of netprof gains that access. References only java.base.
 *
 * <p>{@code Unsafe} is reached through exactly typed method handles, not {@code Method.invoke}: on JDK 18+ core
 * reflection adapts every call to {@code Object[]}, and spinning those adapters cost an attach ~60 ms on JDK 25.
 */
public final class BootInjector {
    /** Defines {@code classes} (name, bytes pairs) in order; supertypes must come before their subtypes. */
    public static void defineAll(List<Object[]> classes) throws Throwable {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass))
            .asType(MethodType.methodType(Object.class)).invokeExact();
        MethodHandle define = lookup.findVirtual(unsafeClass, "defineClass", MethodType.methodType(Class.class,
            String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class)).bindTo(unsafe);
        for (Object[] c : classes) {
            byte[] bytes = (byte[]) c[1];
            // The casts give the call site the handle's exact type, which invokeExact requires.
            Class<?> defined = (Class<?>) define.invokeExact((String) c[0], bytes, 0, bytes.length, (ClassLoader) null,
                (ProtectionDomain) null);
        }
    }

    private BootInjector() {
    }
}
