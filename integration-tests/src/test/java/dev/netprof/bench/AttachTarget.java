package dev.netprof.bench;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The JVM {@link AttachLatency} attaches to. It first loads at least {@code minClasses} classes, as a real
 * application has, because installing and removing instrumentation walks every loaded class; then it keeps a
 * loopback ping-pong going, so the recording has traffic to record: flat out (110% of a CPU on a 2-CPU machine), or
 * {@code pace} round trips a second (1,000: 4% of a CPU; 20,000: 43%). It prints {@code classes <n>}, then {@code ready},
 * and exits by itself after {@code maxSeconds} so an interrupted benchmark leaves nothing behind.
 *
 * <pre>
 *   AttachTarget &lt;minClasses&gt; &lt;maxSeconds&gt; [&lt;pace&gt;]
 * </pre>
 */
public final class AttachTarget {
    public static void main(String[] args) throws Exception {
        int minClasses = Integer.parseInt(args[0]);
        long until = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        long pace = args.length > 2 ? Long.parseLong(args[2]) : 0;
        long intervalNs = pace > 0 ? 1_000_000_000L / pace : 0;
        System.out.println("classes " + loadClasses(minClasses));
        try (StreamPingPong traffic = StreamPingPong.plain()) {
            System.out.println("ready");
            System.out.flush();
            long next = System.nanoTime();
            while (System.nanoTime() < until) {
                traffic.step();
                if (intervalNs > 0) {
                    next += intervalNs;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        }
    }

    /**
     * Loads (without initializing) the classes of the boot layer's modules, java.base first, until the JVM has
     * {@code min} loaded; returns how many it has.
     */
    private static int loadClasses(int min) throws Exception {
        ClassLoadingMXBean loading = ManagementFactory.getClassLoadingMXBean();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        List<String> modules = new ArrayList<>();
        ModuleLayer.boot().modules().forEach(m -> modules.add(m.getName()));
        modules.sort(Comparator.comparing((String m) -> !m.equals("java.base")).thenComparing(m -> m));
        for (String module : modules) {
            Path root = jrt.getPath("/modules", module);
            try (Stream<Path> files = Files.walk(root)) {
                for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                    String file = root.relativize(it.next()).toString();
                    if (!file.endsWith(".class") || file.equals("module-info.class")) {
                        continue;
                    }
                    try {
                        Class.forName(file.substring(0, file.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError unloadable) {
                        // a class whose dependencies this JVM lacks: skip it, there are plenty of others
                    }
                    if (loading.getLoadedClassCount() >= min) {
                        return loading.getLoadedClassCount();
                    }
                }
            }
        }
        throw new IllegalStateException("only " + loading.getLoadedClassCount() + " classes to load, " + min + " asked");
    }

    private AttachTarget() {
    }
}
