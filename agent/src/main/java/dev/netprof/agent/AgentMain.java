package dev.netprof.agent;

import java.lang.instrument.Instrumentation;

/**
 * The javaagent entry points ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>This class must not mention the recording classes: they have to be loaded by the bootstrap class loader,
 * which only knows them after {@link Bootstrap#inject}. So it parses the options, injects, and only then reaches
 * {@link Agent} by name. Whatever goes wrong, it prints one line and returns: the application runs on.
 */
public final class AgentMain {
    public static void premain(String args, Instrumentation inst) {
        launch(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        launch(args, inst, true);
    }

    private static void launch(String args, Instrumentation inst, boolean attached) {
        try {
            Options options = Options.parse(args);
            Bootstrap.inject(inst);
            Class.forName("dev.netprof.agent.Agent")
                .getMethod("start", Options.class, Instrumentation.class, boolean.class)
                .invoke(null, options, inst, attached);
        } catch (Options.BadOption e) {
            Agent.say(e.getMessage() + "; netprof is not recording");
        } catch (java.lang.reflect.InvocationTargetException e) {
            Agent.say("failed to start: " + e.getCause() + "; netprof is not recording");
        } catch (Throwable t) {
            Agent.say("failed to start: " + t + "; netprof is not recording");
        }
    }

    private AgentMain() {
    }
}
