package dev.netprof.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;

/**
 * Makes the recording classes visible to JDK classes, once per JVM.
 *
 * <p>Advice is inlined into JDK classes loaded by the bootstrap loader, so the classes it calls must be bootstrap
 * classes too. netprof.jar carries them (dev.netprof.record, dev.netprof.event and the JCTools they use, relocated)
 * as a nested jar that is on no class path. Its classes are defined straight into the bootstrap loader rather than
 * appending a jar to the bootstrap search path: an append makes HotSpot print "Sharing is only supported for boot
 * loader classes..." into the application's output and turns class data sharing off for the application's classes.
 * Everything else of netprof stays in the loader that loaded the agent jar.
 *
 * <p>Then java.base and java.net.http are made to read netprof's bootstrap module (inlined advice calls into it),
 * and open exactly what the recorder reads reflectively to that module alone: java.net (SocketImpl's peer fields),
 * jdk.internal.misc (carrier-thread locals for virtual threads), sun.security.ssl (a handshake's negotiated
 * parameters), java.lang (a Throwable's backtrace, which tells a stack seen before without resolving it) and
 * jdk.internal.net.http (the channel under an HttpClient connection); jdk.jfr exports jdk.jfr.internal to it (the
 * JVM's time-stamp counter, {@code FastClock}). The application gets no new access.
 */
final class Bootstrap {
    static final String NESTED_JAR = "netprof-boot.jar";
    static final String PROBE = "dev.netprof.record.Recorder";

    static synchronized void inject(Instrumentation inst) throws Exception {
        if (bootstrapClass() == null) {
            defineInBootstrap(inst, supertypesFirst(nestedClasses()));
        }
        Class<?> probe = bootstrapClass();
        if (probe == null) {
            throw new IOException("the bootstrap class loader cannot see " + PROBE);
        }
        Module netprof = probe.getModule();
        Module base = Object.class.getModule();
        if (!base.canRead(netprof) || !base.isOpen("java.net", netprof) || !base.isOpen("java.lang", netprof)) {
            inst.redefineModule(base, Set.of(netprof), Map.of("jdk.internal.misc", Set.of(netprof)),
                Map.of("java.net", Set.of(netprof), "sun.security.ssl", Set.of(netprof), "java.lang", Set.of(netprof)),
                Set.of(), Map.of());
        }
        // FastClock reads the JVM's time-stamp counter through JFR's internal class.
        ModuleLayer.boot().findModule("jdk.jfr").ifPresent(jfr -> {
            if (!jfr.isExported("jdk.jfr.internal", netprof)) {
                inst.redefineModule(jfr, Set.of(), Map.of("jdk.jfr.internal", Set.of(netprof)), Map.of(), Set.of(),
                    Map.of());
            }
        });
        // The JDK HttpClient: advice inlined there calls the recorder, which reads its connections' channels.
        ModuleLayer.boot().findModule("java.net.http").ifPresent(http -> {
            if (!http.canRead(netprof)) {
                inst.redefineModule(http, Set.of(netprof), Map.of(),
                    Map.of("jdk.internal.net.http", Set.of(netprof)), Set.of(), Map.of());
            }
        });
    }

    /** netprof.jar, which the agent was loaded from. */
    static Path selfJar() throws IOException {
        try {
            Path self = Path.of(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(self)) {
                throw new IOException("netprof must run from netprof.jar, not from " + self);
            }
            return self;
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** The nested jar's classes by binary name. */
    private static Map<String, byte[]> nestedClasses() throws IOException {
        Path self = selfJar();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jar = new JarFile(self.toFile())) {
            ZipEntry nested = jar.getEntry(NESTED_JAR);
            if (nested == null) {
                throw new IOException(self + " has no " + NESTED_JAR + ": not a complete netprof.jar");
            }
            try (JarInputStream in = new JarInputStream(jar.getInputStream(nested))) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    String name = e.getName();
                    if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                        classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** Orders classes so that each one's superclass and interfaces from the same set are defined before it. */
    static List<Object[]> supertypesFirst(Map<String, byte[]> classes) {
        List<Object[]> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String name : classes.keySet()) {
            visit(name, classes, done, ordered);
        }
        return ordered;
    }

    private static void visit(String name, Map<String, byte[]> classes, Set<String> done, List<Object[]> ordered) {
        if (!classes.containsKey(name) || !done.add(name)) {
            return;
        }
        for (String supertype : ClassFileHeader.supertypes(classes.get(name))) {
            visit(supertype, classes, done, ordered);
        }
        ordered.add(new Object[] {name, classes.get(name)});
    }

    /**
     * Runs {@link BootInjector} in a private class loader whose module is the only one granted
     * {@code jdk.internal.misc}, and lets it define the classes.
     */
    private static void defineInBootstrap(Instrumentation inst, List<Object[]> classes) throws Exception {
        byte[] injectorBytes;
        try (InputStream in = Bootstrap.class.getResourceAsStream("BootInjector.class")) {
            injectorBytes = in.readAllBytes();
        }
        PrivateLoader loader = new PrivateLoader();
        Class<?> injector = loader.define(BootInjector.class.getName(), injectorBytes);
        inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(injector.getModule())),
            Map.of(), Set.of(), Map.of());
        MethodHandle defineAll = MethodHandles.publicLookup().findStatic(injector, "defineAll",
            MethodType.methodType(void.class, List.class));
        try {
            defineAll.invokeExact(classes);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final class PrivateLoader extends ClassLoader {
        PrivateLoader() {
            super("netprof-boot-injector", null);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static Class<?> bootstrapClass() {
        try {
            return Class.forName(PROBE, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private Bootstrap() {
    }
}
