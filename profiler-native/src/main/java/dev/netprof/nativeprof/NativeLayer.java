package dev.netprof.nativeprof;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The module layer netprof's native code runs in, defined once per JVM: async-profiler's Java API and libraries,
 * and netprof's own library, nested in netprof.jar as one automatic module. A layer of its own keeps async-profiler
 * apart from any copy the application has, and lets netprof grant native access to that module alone (JDK 22+
 * otherwise prints four WARNING lines into the application's output when a library loads): java.lang is opened to
 * that module only, for its NativeAccess helper.
 */
final class NativeLayer {
    static final String NESTED_JAR = "netprof-native.jar";
    static final String MODULE = "dev.netprof.nativelayer";
    private static final String EXTRACTED_PREFIX = "netprof-native-";
    private static final String EXTRACTED_SUFFIX = ".jar";

    private static ClassLoader loader;

    /** {@code "x64"} or {@code "arm64"} on Linux, where the layer has native code; null elsewhere. */
    static String linuxArch() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        switch (System.getProperty("os.arch", "")) {
            case "amd64":
            case "x86_64":
                return "x64";
            case "aarch64":
                return "arm64";
            default:
                return null;
        }
    }

    /** The platform as the JVM names it, for saying where netprof's native code does not run. */
    static String platform() {
        return System.getProperty("os.name", "") + " " + System.getProperty("os.arch", "");
    }

    /** The layer's class loader; defines the layer on the first call. */
    static synchronized ClassLoader load(Instrumentation inst, Path selfJar) throws IOException {
        if (loader == null) {
            loader = define(inst, selfJar);
        }
        return loader;
    }

    private static ClassLoader define(Instrumentation inst, Path selfJar) throws IOException {
        try {
            Path jar = extract(selfJar);
            Configuration cf = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(jar), ModuleFinder.of(),
                Set.of(MODULE));
            ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()),
                ClassLoader.getPlatformClassLoader()).layer();
            Module module = layer.findModule(MODULE).orElseThrow();
            ClassLoader moduleLoader = module.getClassLoader();
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(), Map.of("java.lang", Set.of(module)),
                Set.of(), Map.of());
            Class.forName("dev.netprof.nativeprof.layer.NativeAccess", true, moduleLoader)
                .getMethod("grantToThisModule").invoke(null);
            return moduleLoader;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IOException("netprof's native layer could not be defined: " + e, e);
        }
    }

    /**
     * Copies the nested jar out of netprof.jar: a module layer needs a file, which its loader reads for as long as the
     * JVM runs. Deleted when the JVM exits; the copies of JVMs that were killed are deleted here.
     */
    private static Path extract(Path selfJar) throws IOException {
        PrivateTempFile.deleteLeftOvers(EXTRACTED_PREFIX, EXTRACTED_SUFFIX);
        try (JarFile jar = new JarFile(selfJar.toFile())) {
            ZipEntry entry = jar.getEntry(NESTED_JAR);
            if (entry == null) {
                throw new IOException(selfJar + " has no " + NESTED_JAR + ": not a complete netprof.jar");
            }
            try (InputStream in = jar.getInputStream(entry)) {
                Path out = PrivateTempFile.copyOf(in, EXTRACTED_PREFIX, EXTRACTED_SUFFIX);
                out.toFile().deleteOnExit();
                return out;
            }
        }
    }

    private NativeLayer() {
    }
}
