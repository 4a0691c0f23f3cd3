package dev.netprof.agent;

import java.lang.instrument.Instrumentation;

/**
 * The javaagent entry points ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>This class must not mention the recording classes: they have to be loaded by the bootstrap class loader,
 * which only knows them after {@link Bootstrap#inject}. So it parses the options, injects, and only then calls
 * {@link Agent}, whose code mentions them: the JVM resolves those names at their first use, after the injection.
 * Whatever goes wrong, it says so in one line and returns: the application runs on.
 *
 * <p>An attach ({@code netprof attach/start/stop/dump}) passes two control keys before the recording options:
 * {@code command=start|stop|dump} and {@code reply=TOKEN}, a token the CLI made up; the agent sets the system
 * property {@value #REPLY_PROPERTY} to {@code TOKEN ok <out dir>} or {@code TOKEN error <message>}, which the CLI
 * reads through the attach API: that is how it learns what happened inside.
 */
public final class AgentMain {
    public static final String REPLY_PROPERTY = "netprof.reply";

    public static void premain(String args, Instrumentation inst) {
        launch(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        launch(args, inst, true);
    }

    private static void launch(String args, Instrumentation inst, boolean attached) {
        Control control = Control.parse(args);
        try {
            String result = run(control, inst, attached);
            control.reply("ok " + result);
        } catch (Options.BadOption e) {
            fail(control, e.getMessage() + "; netprof is not recording");
        } catch (IllegalStateException e) {
            fail(control, e.getMessage());
        } catch (Throwable t) {
            fail(control, "failed to " + control.command + ": " + t);
        }
    }

    /** Runs the command; {@link Agent} refuses one it cannot do now with an IllegalStateException saying why. */
    private static String run(Control control, Instrumentation inst, boolean attached) throws Exception {
        switch (control.command) {
            case "start":
                Options options = Options.parse(control.options);
                options.fitHeap(Runtime.getRuntime().maxMemory());
                Bootstrap.inject(inst);
                return Agent.start(options, inst, attached);
            case "stop":
                return Agent.stop();
            case "dump":
                return Agent.dump();
            default:
                throw new Options.BadOption("unknown command '" + control.command + "' (accepted: start, stop, dump)");
        }
    }

    private static void fail(Control control, String message) {
        if (control.replyToken == null) {
            Agent.say(message);
        }
        control.reply("error " + message);
    }

    /** The control keys of an agent argument string, and the recording options after them. */
    static final class Control {
        String command = "start";
        String replyToken;
        String options = "";

        static Control parse(String args) {
            Control c = new Control();
            String rest = args == null ? "" : args.trim();
            while (rest.startsWith("command=") || rest.startsWith("reply=")) {
                int comma = rest.indexOf(',');
                String pair = comma < 0 ? rest : rest.substring(0, comma);
                rest = comma < 0 ? "" : rest.substring(comma + 1);
                String value = pair.substring(pair.indexOf('=') + 1);
                if (pair.startsWith("command=")) {
                    c.command = value;
                } else {
                    c.replyToken = value;
                }
            }
            c.options = rest;
            return c;
        }

        void reply(String text) {
            if (replyToken != null) {
                System.setProperty(REPLY_PROPERTY, replyToken + " " + text);
            }
        }
    }

    private AgentMain() {
    }
}
