package dev.netprof.it.workload;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.Security;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS 1.3 KeyUpdates on one SSLSocket connection: ChaCha20-Poly1305 limited to 4 KiB per key, and {@value #ROUNDS}
 * lock-step rounds of {@value #CHUNK} bytes each way, so both ends renew their keys again and again mid-stream.
 * Run it with {@code -Djavax.net.debug=ssl:handshake}: the JDK then logs, under the thread's name, every KeyUpdate
 * message the client ({@value #CLIENT}) and the server ({@value #SERVER}) produce or consume, which is the ground
 * truth a test compares netprof's per-connection count with. Usage: {@code KeyUpdateWorkload}.
 */
public final class KeyUpdateWorkload {
    public static final String CLIENT = "keyupdate-client";
    public static final String SERVER = "keyupdate-server";
    public static final int ROUNDS = 16;
    public static final int CHUNK = 8192;

    public static void main(String[] args) throws Exception {
        // A security property, read once when the JDK's TLS ciphers initialise: before any TLS class is used.
        Security.setProperty("jdk.tls.keyLimits", "ChaCha20-Poly1305 KeyUpdate 2^12");
        SSLContext ctx = WebWorkload.SelfSigned.temporary();
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (var s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    for (byte[] b; (b = in.readNBytes(CHUNK)).length > 0; ) {
                        out.write(b);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, SERVER);
            echo.start();
            Thread.currentThread().setName(CLIENT);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                s.setEnabledCipherSuites(new String[] {"TLS_CHACHA20_POLY1305_SHA256"});
                for (int i = 0; i < ROUNDS; i++) {
                    s.getOutputStream().write(new byte[CHUNK]);
                    if (s.getInputStream().readNBytes(CHUNK).length != CHUNK) {
                        throw new IllegalStateException("short echo");
                    }
                }
            }
            echo.join();
        }
        System.out.println("keyupdate workload done");
    }
}
