package dev.netprof.bench;

import static dev.netprof.bench.LoopbackWorkload.LOOPBACK;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A one-way stream over a blocking socket: a writer thread sends 64 KiB writes as fast as it can, the stepping
 * thread reads them. Counting at the reader means the rate is what arrived, not what sat in socket buffers.
 * Reported in MiB/s over the whole measured time, not over a fixed amount: a single GiB takes 0.2 s here, a window
 * in which one scheduler hiccup moves the rate by a third either way.
 */
final class BulkTransfer implements Workload {
    static final int WRITE = 64 << 10;

    private final ServerSocket server;
    private final Socket writer;
    private final Socket reader;
    private final InputStream in;
    private final byte[] buffer = new byte[WRITE];

    BulkTransfer() throws IOException {
        server = new ServerSocket(0, 1, LOOPBACK);
        writer = new Socket(LOOPBACK, server.getLocalPort());
        reader = server.accept();
        in = reader.getInputStream();
        Thread t = new Thread(this::write, "writer");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public long step() throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            throw new EOFException("the writer stopped");
        }
        return n;
    }

    @Override
    public double unitsPerReported() {
        return 1 << 20;
    }

    private void write() {
        try {
            OutputStream out = writer.getOutputStream();
            byte[] chunk = new byte[WRITE];
            while (true) {
                out.write(chunk);
            }
        } catch (IOException closed) {
            // the reader went away: the run is over
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
        writer.close();
        server.close();
    }
}
