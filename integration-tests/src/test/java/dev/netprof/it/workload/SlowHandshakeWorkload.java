package dev.netprof.it.workload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * SSLSocket clients whose {@code startHandshake()} times out (a read timeout of 200 ms, a server that starts its side
 * of the handshake 600 ms after the accept). The JDK leaves such a handshake open: the application may call
 * {@code startHandshake()} again, and it goes on. One client retries until its handshake finishes, then exchanges a
 * byte; the other gives up at the first timeout and closes. Usage: {@code SlowHandshakeWorkload <truth-file>}.
 *
 * <p>Truth lines, one per client: {@code <scenario> client <local> <remote> <timeouts its application caught>
 * <how its handshake ended>}.
 */
public final class SlowHandshakeWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    public static final int READ_TIMEOUT_MS = 200;
    static final int SERVER_DELAY_MS = 600;

    public static void main(String[] args) throws Exception {
        SSLContext ctx = WebWorkload.SelfSigned.temporary();
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            client(ctx, truth, true);
            client(ctx, truth, false);
        }
        System.out.println("slow handshake workload done");
    }

    static void client(SSLContext ctx, PrintStream truth, boolean retry) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Thread serving = new Thread(() -> serve(ctx, server));
            serving.start();
            String scenario = retry ? "retried" : "abandoned";
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(LOOPBACK, server.getLocalPort())) {
                s.setSoTimeout(READ_TIMEOUT_MS);
                String where = Truth.where(s.getLocalSocketAddress(), s.getRemoteSocketAddress());
                int timeouts = 0;
                while (true) {
                    try {
                        s.startHandshake();
                        break;
                    } catch (SocketTimeoutException e) {
                        timeouts++;
                        if (!retry) {
                            break;
                        }
                    }
                }
                if (retry) {
                    s.getOutputStream().write(1);
                    if (s.getInputStream().read() != 1) {
                        throw new IllegalStateException("no echo");
                    }
                }
                truth.println(scenario + " client " + where + " " + timeouts + " "
                    + (retry ? "finished " + s.getSession().getProtocol() : "closed"));
            }
            serving.join();
        }
    }

    /** Accepts one connection, waits, then runs the server's side of the handshake over it and echoes a byte. */
    static void serve(SSLContext ctx, ServerSocket server) {
        try (Socket plain = server.accept()) {
            Thread.sleep(SERVER_DELAY_MS);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, plain.getPort(), true)) {
                s.setUseClientMode(false);
                s.startHandshake();
                int b = s.getInputStream().read();
                if (b >= 0) {
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                }
            }
        } catch (IOException expected) {
            // the abandoned client's server finds it gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SlowHandshakeWorkload() {
    }
}
