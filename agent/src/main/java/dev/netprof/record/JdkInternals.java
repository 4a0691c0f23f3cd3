package dev.netprof.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * JDK classes and private fields the recorders read, looked up once when a recorder class initialises. Each is
 * null where this JDK has no such class or field or does not open its package to netprof's bootstrap module, and
 * the recorder using it then records less rather than failing.
 */
final class JdkInternals {
    /** A JDK class by name, without initialising it; the platform loader also finds java.base's classes. */
    static Class<?> type(String name) {
        try {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** A declared (usually private) instance field of a JDK class. */
    static VarHandle field(String className, String name) {
        try {
            Class<?> owner = type(className);
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                .unreflectVarHandle(owner.getDeclaredField(name));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private JdkInternals() {
    }
}
