package dev.netprof.instrument;

import dev.netprof.record.Catalog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.pool.TypePool;

/**
 * Installs the hooks of every instrumented JDK type into the running JVM, and takes them out again.
 *
 * <p>Retransformation with class format changes disabled works the same whether a class is loaded later (premain)
 * or was loaded long ago (attach), and can be undone exactly. Each hook whose method a JDK lacks, and each type
 * ByteBuddy fails on, becomes a note in the recording, so uninstrumented code is reported, never silent.
 *
 * <p>The transformer is netprof's own, around ByteBuddy's {@link Advice}, rather than ByteBuddy's
 * {@code AgentBuilder}: netprof knows its types by name, and the builder's generality cost an attach about a third
 * of the agent's CPU on a busy 2-CPU target (generating its transformer class, matching every loaded class).
 */
public final class Instrumenter {
    /**
     * Advice only: no auxiliary types, fields or initializers, so retransformation accepts the result. Advice rewrites
     * the type's own methods, so ByteBuddy is told to look at those alone: by default it compiles the method graph of
     * every supertype (parsing each one's class file and generic signatures) and validates the type, which took about
     * a fifth of an attach's install for the same woven methods.
     */
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
        .with(Implementation.Context.Disabled.Factory.INSTANCE)
        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
        .with(TypeValidation.DISABLED);

    /** The installed transformation; {@link #reset} restores the original bytecode. */
    public static final class Installed {
        private final HookTransformer transformer;

        Installed(HookTransformer transformer) {
            this.transformer = transformer;
        }

        /** Removes the hooks from every class that has them; fails naming the classes it could not restore. */
        public void reset(Instrumentation inst) {
            inst.removeTransformer(transformer);
            Map<Class<?>, String> failed = retransform(inst, transformer.loaded(inst, inst.getAllLoadedClasses()));
            if (!failed.isEmpty()) {
                throw new IllegalStateException("not restored: " + failed);
            }
        }
    }

    /**
     * Socket APIs and HTTP clients netprof does not instrument, by a class that carries each: none loads unless an
     * application uses it, so the loading is noted ("unrecorded") and the report says that this traffic (for a
     * client, its exchanges; their sockets are recorded) is missing.
     */
    private static final Map<String, Unrecorded> UNRECORDED = Map.ofEntries(
        Map.entry("sun.nio.ch.UnixAsynchronousSocketChannelImpl",
            new Unrecorded("AsynchronousSocketChannel", Family.SOCKET)),
        Map.entry("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl",
            new Unrecorded("AsynchronousServerSocketChannel", Family.SOCKET)),
        Map.entry("java.net.PlainSocketImpl",
            new Unrecorded("Socket and ServerSocket with -Djdk.net.usePlainSocketImpl", Family.SOCKET)),
        Map.entry("java.net.PlainDatagramSocketImpl",
            new Unrecorded("DatagramSocket with -Djdk.net.usePlainDatagramSocketImpl", Family.UDP)),
        Map.entry("org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient",
            new Unrecorded("Apache HttpClient 5's minimal async client (its exchanges)", Family.HTTP)),
        Map.entry("org.apache.hc.client5.http.impl.async.MinimalH2AsyncClient",
            new Unrecorded("Apache HttpClient 5's minimal HTTP/2 async client (its exchanges)", Family.HTTP)),
        Map.entry("okhttp3.RealCall",
            new Unrecorded("OkHttp 3 (its exchanges)", Family.HTTP)),
        Map.entry("org.apache.http.impl.client.InternalHttpClient",
            new Unrecorded("Apache HttpClient 4 (its exchanges)", Family.HTTP)),
        // Netty's native transports make their own socket calls, past every JDK socket class.
        Map.entry("io.netty.channel.epoll.LinuxSocket",
            new Unrecorded("Netty's epoll transport", Family.SOCKET)),
        Map.entry("io.netty.channel.kqueue.BsdSocket",
            new Unrecorded("Netty's kqueue transport", Family.SOCKET)),
        Map.entry("io.grpc.netty.shaded.io.netty.channel.epoll.LinuxSocket",
            new Unrecorded("gRPC's shaded Netty epoll transport", Family.SOCKET)));

    /**
     * A class, not a record: {@link HookTransformer} keeps them in sets, and a record's {@code equals} and
     * {@code hashCode} link through invokedynamic on first use, ~20 ms of a cold attach. Each is one object anyway.
     */
    private static final class Unrecorded {
        final String api;
        final Family family;

        Unrecorded(String api, Family family) {
            this.api = api;
            this.family = family;
        }
    }

    static List<InstrumentedType> types(Set<Family> families) {
        List<InstrumentedType> all = new ArrayList<>(List.of(
            NioSocketImplInstrumentation.type(),
            NetInstrumentation.type(),
            SocketChannelImplInstrumentation.type(),
            FileChannelImplInstrumentation.type(),
            ServerSocketChannelImplInstrumentation.type(),
            DatagramChannelImplInstrumentation.type(),
            SelectorImplInstrumentation.type(),
            InetAddressInstrumentation.type(),
            OkHttpInstrumentation.type()));
        all.addAll(ApacheHttpClientInstrumentation.types());
        all.addAll(TlsInstrumentation.types());
        all.addAll(JdkHttpClientInstrumentation.types());
        all.addAll(HttpUrlConnectionInstrumentation.types());
        List<InstrumentedType> chosen = new ArrayList<>();
        for (InstrumentedType t : all) {
            if (families.contains(t.family())) {
                chosen.add(t);
            }
        }
        return chosen;
    }

    /** The {@link #UNRECORDED} classes of the chosen families, by internal name. */
    private static Map<String, Unrecorded> unrecorded(Set<Family> families) {
        Map<String, Unrecorded> chosen = new HashMap<>();
        UNRECORDED.forEach((name, u) -> {
            if (families.contains(u.family)) {
                chosen.put(name.replace('.', '/'), u);
            }
        });
        return chosen;
    }

    public static Installed install(Instrumentation inst, Set<Family> families, Catalog notes) {
        HookTransformer transformer = new HookTransformer(types(families), unrecorded(families), notes);
        inst.addTransformer(transformer, true);
        Class<?>[] all = inst.getAllLoadedClasses();
        List<Class<?>> loaded = transformer.loaded(inst, all);
        transformer.noteUnrecorded(all);
        Map<Class<?>, String> failed = retransform(inst, loaded);
        for (Class<?> c : loaded) {
            boolean wove = transformer.wove(c);
            if (failed.containsKey(c)) {
                notes.note("error", c.getName() + ": " + failed.get(c));
            } else if (wove) {
                notes.note("instrumented", c.getName());
            }
        }
        return new Installed(transformer);
    }

    /**
     * Retransforms the classes in one batch, one pause of the JVM; if the JVM refuses the batch, one at a time, so a
     * class it refuses costs only itself. Returns why each class that failed did.
     */
    private static Map<Class<?>, String> retransform(Instrumentation inst, List<Class<?>> classes) {
        Map<Class<?>, String> failed = new HashMap<>();
        if (classes.isEmpty()) {
            return failed;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError batch) {
            for (Class<?> c : classes) {
                try {
                    inst.retransformClasses(c);
                } catch (Exception | LinkageError e) {
                    failed.put(c, e.toString());
                }
            }
        }
        return failed;
    }

    /**
     * Weaves a type's hooks into its class whenever the JVM loads or retransforms a class of that name, in any class
     * loader. Every other class costs one map lookup. A hook whose method this JDK does not have is noted, not fatal.
     */
    private static final class HookTransformer implements ClassFileTransformer {
        /** Keyed as the JVM names a class to a transformer, so a class being loaded costs one lookup. */
        private final Map<String, InstrumentedType> byInternalName = new HashMap<>();
        /** The same types by binary name, so matching every loaded class by {@code getName()} converts none. */
        private final Set<String> names = new HashSet<>();
        /** Loaded classes woven by a retransformation, until {@link #install} has noted them. */
        private final Set<Class<?>> woven = ConcurrentHashMap.newKeySet();
        private final Map<String, Unrecorded> unrecorded;
        /** Each once, though its class may load in several class loaders, or at the install's edge. */
        private final Set<Unrecorded> noted = ConcurrentHashMap.newKeySet();
        private final Catalog notes;

        HookTransformer(List<InstrumentedType> types, Map<String, Unrecorded> unrecorded, Catalog notes) {
            for (InstrumentedType t : types) {
                byInternalName.put(t.name().replace('.', '/'), t);
                names.add(t.name());
            }
            this.unrecorded = unrecorded;
            this.notes = notes;
        }

        /** The loaded classes this transformer applies to, of {@code all}. */
        List<Class<?>> loaded(Instrumentation inst, Class<?>[] all) {
            List<Class<?>> found = new ArrayList<>();
            for (Class<?> c : all) {
                if (names.contains(c.getName()) && inst.isModifiableClass(c)) {
                    found.add(c);
                }
            }
            return found;
        }

        /** Notes the unrecorded APIs an application used before the install. */
        void noteUnrecorded(Class<?>[] all) {
            for (Class<?> c : all) {
                Unrecorded u = UNRECORDED.get(c.getName());
                if (u != null && unrecorded.containsValue(u)) {
                    noteOnce(u);
                }
            }
        }

        private void noteOnce(Unrecorded u) {
            if (noted.add(u)) {
                notes.note("unrecorded", u.api);
            }
        }

        /** Whether a retransformation wove {@code c}; forgets it, so netprof holds no class past the install. */
        boolean wove(Class<?> c) {
            return woven.remove(c);
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
                                ProtectionDomain pd, byte[] bytes) {
            InstrumentedType type = internalName == null ? null : byInternalName.get(internalName);
            if (type == null) {
                Unrecorded u = internalName == null || redefined != null ? null : unrecorded.get(internalName);
                if (u != null) {
                    noteOnce(u);
                }
                return null;
            }
            try {
                byte[] result = weave(type, loader, bytes);
                // A class being loaded is instrumented now; a retransformed one once the JVM accepted the batch.
                if (redefined == null) {
                    notes.note("instrumented", type.name());
                } else {
                    woven.add(redefined);
                }
                return result;
            } catch (Throwable t) {
                notes.note("error", type.name() + ": " + t);
                return null;
            }
        }

        private byte[] weave(InstrumentedType type, ClassLoader loader, byte[] bytes) {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(type.name(), bytes),
                ClassFileLocator.ForClassLoader.of(loader));
            TypePool pool = new TypePool.Default.WithLazyResolution(TypePool.CacheProvider.Simple.withObjectType(),
                locator, TypePool.Default.ReaderMode.FAST);
            TypeDescription td = pool.describe(type.name()).resolve();
            DynamicType.Builder<?> builder = BYTE_BUDDY.decorate(td, locator);
            for (Hook h : type.hooks()) {
                if (td.getDeclaredMethods().filter(h.method()).isEmpty()) {
                    notes.note("unmatched", type.name() + "." + h.shape());
                    continue;
                }
                // As int constants: binding an Integer goes through ByteBuddy's JavaConstant, whose first use
                // builds seven reflective proxies for the java.lang.constant API (~30 ms of a cold attach).
                Advice.WithCustomMapping mapping = Advice.withCustomMapping()
                    .bind(Bind.Op.class, IntegerConstant.forValue(h.op()), int.class)
                    .bind(Bind.Api.class, IntegerConstant.forValue(h.api()), int.class);
                Advice advice = h.enter() == h.exit() ? mapping.to(h.exit()) : mapping.to(h.enter(), h.exit());
                builder = builder.visit(advice.on(h.method()));
            }
            return builder.make(pool).getBytes();
        }
    }

    private Instrumenter() {
    }
}
