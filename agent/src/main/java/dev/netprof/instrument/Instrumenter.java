package dev.netprof.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.netprof.record.Catalog;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the hooks of every instrumented JDK type into the running JVM, and takes them out again.
 *
 * <p>Retransformation with class format changes disabled works the same whether a class is loaded later (premain)
 * or was loaded long ago (attach), and can be undone exactly. Each hook whose method a JDK lacks, and each type
 * ByteBuddy fails on, becomes a note in the recording, so uninstrumented code is reported, never silent.
 */
public final class Instrumenter {
    /** The installed transformation; {@link #reset} restores the original bytecode. */
    public static final class Installed {
        private final ResettableClassFileTransformer transformer;

        Installed(ResettableClassFileTransformer transformer) {
            this.transformer = transformer;
        }

        public void reset(Instrumentation inst) {
            transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        }
    }

    static List<InstrumentedType> types(Set<Family> families) {
        List<InstrumentedType> all = new ArrayList<>(List.of(
            NioSocketImplInstrumentation.type(),
            SocketChannelImplInstrumentation.type(),
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

    public static Installed install(Instrumentation inst, Set<Family> families, Catalog notes) {
        List<InstrumentedType> types = types(families);
        List<String> names = new ArrayList<>();
        for (InstrumentedType t : types) {
            names.add(t.name());
        }
        AgentBuilder builder = newAgentBuilder()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new Listener(notes))
            .ignore(not(namedOneOf(names.toArray(new String[0]))));
        for (InstrumentedType t : types) {
            builder = builder.type(named(t.name())).transform(new HookTransformer(t, notes));
        }
        return new Installed(builder.installOn(inst));
    }

    /**
     * An AgentBuilder that injects nothing into the application's class loader. Its constructor would otherwise
     * inject ByteBuddy's Nexus class through sun.misc.Unsafe, which JDK 24+ reports with four WARNING lines in the
     * application's output. netprof's hooks are Advice only and need no Nexus, so it is disabled while the builder
     * is made (the property is read once, by the shaded ByteBuddy only) and the property is removed again.
     */
    private static AgentBuilder newAgentBuilder() {
        String property = Nexus.PROPERTY;
        String before = System.setProperty(property, "true");
        try {
            return new AgentBuilder.Default();
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    /** Applies a type's hooks; a hook whose method this JDK does not have is noted, not fatal. */
    private static final class HookTransformer implements AgentBuilder.Transformer {
        private final InstrumentedType type;
        private final Catalog notes;

        HookTransformer(InstrumentedType type, Catalog notes) {
            this.type = type;
            this.notes = notes;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription td,
                                                ClassLoader loader, JavaModule module, ProtectionDomain pd) {
            for (Hook h : type.hooks()) {
                if (td.getDeclaredMethods().filter(h.method()).isEmpty()) {
                    notes.note("unmatched", type.name() + "." + h.shape());
                    continue;
                }
                Advice.WithCustomMapping mapping = Advice.withCustomMapping()
                    .bind(Bind.Op.class, h.op())
                    .bind(Bind.Api.class, h.api());
                Advice advice = h.enter() == h.exit() ? mapping.to(h.exit()) : mapping.to(h.enter(), h.exit());
                builder = builder.visit(advice.on(h.method()));
            }
            return builder;
        }
    }

    /** Reports what was instrumented and what failed into the recording itself. */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final Catalog notes;

        Listener(Catalog notes) {
            this.notes = notes;
        }

        @Override
        public void onTransformation(TypeDescription td, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            notes.note("instrumented", td.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            notes.note("error", typeName + ": " + throwable);
        }
    }

    private Instrumenter() {
    }
}
