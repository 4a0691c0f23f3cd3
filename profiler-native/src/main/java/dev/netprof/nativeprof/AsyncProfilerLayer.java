package dev.netprof.nativeprof;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Loads async-profiler inside this JVM, once, in a module layer of its own.
 *
 * <p>netprof.jar nests async-profiler's Java API and native libraries as one automatic module. A layer of its own
 * keeps it apart from any copy the application has, and lets netprof grant native access to that module alone
 * (JDK 22+ otherwise prints four WARNING lines into the application's output when the library loads): java.lang is
 * opened to that module only, for its NativeAccess helper. If the application has already loaded async-profiler,
 * netprof stays out: two profilers in one process would share its signal handlers.
 */
public final class AsyncProfilerLayer {
    static final String NESTED_JAR = "netprof-async-profiler.jar";
    static final String MODULE = "dev.netprof.asyncprofiler";

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
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            throw new ProfilerUnavailable("async-profiler's native library is built for Linux x64 and arm64, not "
                + os + " " + arch);
        }
        if (alreadyLoadedByApplication()) {
            throw new ProfilerUnavailable("the application already runs async-profiler; a second copy would share its "
                + "signal handlers (use that one, or start the application without it)");
        }
        try {
            Path jar = extract(selfJar);
            ModuleFinder finder = ModuleFinder.of(jar);
            Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
            ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()),
                ClassLoader.getPlatformClassLoader()).layer();
            Module module = layer.findModule(MODULE).orElseThrow();
            ClassLoader loader = module.getClassLoader();
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(), Map.of("java.lang", Set.of(module)),
                Set.of(), Map.of());
            Class.forName("dev.netprof.nativeprof.layer.NativeAccess", true, loader)
                .getMethod("grantToThisModule").invoke(null);
            Class<?> api = Class.forName("one.profiler.AsyncProfiler", true, loader);
            Object instance = api.getMethod("getInstance").invoke(null);
            return new Profiler(instance, api.getMethod("execute", String.class),
                api.getMethod("addThread", Thread.class));
        } catch (InvocationTargetException e) {
            throw new ProfilerUnavailable("async-profiler's library did not load: " + e.getCause());
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new ProfilerUnavailable("async-profiler could not be loaded: " + e);
        }
    }

    /** Copies the nested jar out of netprof.jar: a module layer needs a file. Deleted when the JVM exits. */
    private static Path extract(Path selfJar) throws IOException {
        Path out = Files.createTempFile("netprof-async-profiler-", ".jar");
        out.toFile().deleteOnExit();
        try (JarFile jar = new JarFile(selfJar.toFile())) {
            ZipEntry entry = jar.getEntry(NESTED_JAR);
            if (entry == null) {
                throw new IOException(selfJar + " has no " + NESTED_JAR + ": not a complete netprof.jar");
            }
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
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
