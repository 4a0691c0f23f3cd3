package dev.netprof.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A thread as Linux shows it: its name ({@code comm}, cut at 15 characters) and the CPU time it has used so far,
 * from {@code /proc/<pid>/task/<tid>/schedstat}. Read from outside a JVM or from within ({@code self}).
 */
record TaskCpu(String name, long ns) {
    /**
     * Every thread of {@code pid} ({@code "self"}: this process), by thread id: a JVM has several threads of one
     * name (its compiler threads). A thread that ends while being read is left out.
     */
    static Map<String, TaskCpu> of(String pid) throws IOException {
        Map<String, TaskCpu> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    threads.put(task.getFileName().toString(), new TaskCpu(name, ns));
                } catch (IOException e) {
                    // the thread ended since the listing (the JVM stops compiler threads it no longer needs)
                }
            }
        }
        return threads;
    }

    /**
     * The CPU time the threads {@code which} took from {@code before} to {@code now}. A thread that ended in between
     * drops out rather than lowering the sum; one that started counts from nothing.
     */
    static long nsSince(Map<String, TaskCpu> before, Map<String, TaskCpu> now, Predicate<TaskCpu> which) {
        long ns = 0;
        for (Map.Entry<String, TaskCpu> t : now.entrySet()) {
            if (which.test(t.getValue())) {
                TaskCpu was = before.get(t.getKey());
                ns += t.getValue().ns - (was == null ? 0 : was.ns);
            }
        }
        return ns;
    }

    /** One of the JIT's compiler threads, by the name HotSpot gives them. */
    static boolean isCompiler(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }
}
