package dev.netprof.agent;

import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Defines classes in the bootstrap class loader. Loaded only by a private class loader of its own (see
 * {@link Bootstrap}), whose module alone is granted {@code jdk.internal.misc}: neither the application nor the rest
 * of netprof gains that access. References only java.base.
 */
public final class BootInjector {
    /** Defines {@code classes} (name, bytes pairs) in order; supertypes must come before their subtypes. */
    public static void defineAll(List<Object[]> classes) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
            ClassLoader.class, ProtectionDomain.class);
        for (Object[] c : classes) {
            byte[] bytes = (byte[]) c[1];
            define.invoke(unsafe, c[0], bytes, 0, bytes.length, null, null);
        }
    }

    private BootInjector() {
    }
}
