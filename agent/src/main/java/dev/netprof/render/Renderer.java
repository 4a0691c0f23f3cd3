package dev.netprof.render;

import java.io.IOException;
import java.nio.file.Path;

/** Renders every output of a recording directory from its events.nprof alone. */
public final class Renderer {
    public static final String LOG = "events.nprof";
    public static final String SUMMARY = "summary.json";

    public static Recording render(Path dir) throws IOException {
        Recording r = Recording.read(dir.resolve(LOG));
        new SummaryWriter(r).write(dir.resolve(SUMMARY));
        return r;
    }

    private Renderer() {
    }
}
