package dev.netprof.nativeprof;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads async-profiler inside this JVM, once, from netprof's {@link NativeLayer}. If the application has already
 * loaded async-profiler, netprof stays out: two profilers in one process would share its signal handlers.
 */
public final class AsyncProfilerLayer {
    private static Profiler loaded;

    /**
     * async-profiler's command interface ({@code execute("start,...")}, {@code execute("stop")}) and its thread
     * filter.
     */
    public static final class Profiler {
        private final Object instance;
        private final Method execute;
        private final Method addThread;

        Profiler(Object instance, Method execute, Method addThread) {
            this.instance = instance;
            this.execute = execute;
            this.addThread = addThread;
        }

        public void execute(String command) throws ProfilerUnavailable {
            invoke(execute, command);
        }

        /** Puts the calling thread (a virtual thread's carrier) into a {@code filter} recording's thread filter. */
        public void addCurrentThread() throws ProfilerUnavailable {
            invoke(addThread, (Thread) null);
        }

        private void invoke(Method method, Object argument) throws ProfilerUnavailable {
            try {
                method.invoke(instance, argument);
            } catch (InvocationTargetException e) {
                throw new ProfilerUnavailable(String.valueOf(e.getCause().getMessage()));
            } catch (IllegalAccessException e) {
                throw new ProfilerUnavailable(e.toString());
            }
        }
    }

    public static synchronized Profiler load(Instrumentation inst, Path selfJar) throws ProfilerUnavailable {
        if (loaded == null) {
            loaded = loadOnce(inst, selfJar);
        }
        return loaded;
    }

    private static Profiler loadOnce(Instrumentation inst, Path selfJar) throws ProfilerUnavailable {
        if (NativeLayer.linuxArch() == null) {
            throw new ProfilerUnavailable("async-profiler's native library is built for Linux x64 and arm64, not "
                + NativeLayer.platform());
        }
        if (alreadyLoadedByApplication()) {
            throw new ProfilerUnavailable("the application already runs async-profiler; a second copy would share its "
                + "signal handlers (use that one, or start the application without it)");
        }
        try {
            Class<?> api = Class.forName("one.profiler.AsyncProfiler", true, NativeLayer.load(inst, selfJar));
            Object instance = api.getMethod("getInstance").invoke(null);
            return new Profiler(instance, api.getMethod("execute", String.class),
                api.getMethod("addThread", Thread.class));
        } catch (InvocationTargetException e) {
            throw new ProfilerUnavailable("async-profiler's library did not load: " + e.getCause());
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new ProfilerUnavailable("async-profiler could not be loaded: " + e);
        }
    }

    private static boolean alreadyLoadedByApplication() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libasyncProfiler");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private AsyncProfilerLayer() {
    }
}
