package dev.netprof.nativeprof.layer;

import java.lang.reflect.Method;

/**
 * Lives in netprof's native layer. On JDK 22+, loading a native library from a module without native access prints
 * four WARNING lines into the application's output; this grants native access to this one module (netprof opened
 * java.lang to it, and to nothing else, for this call). On older JDKs there is nothing to grant.
 */
public final class NativeAccess {
    public static void grantToThisModule() {
        try {
            Method grant = Module.class.getDeclaredMethod("implAddEnableNativeAccess");
            grant.setAccessible(true);
            grant.invoke(NativeAccess.class.getModule());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an older JDK (nothing to grant) or no access: at worst the JDK prints its warning
        }
    }

    private NativeAccess() {
    }
}
