package dev.netprof.it.workload;

import static dev.netprof.it.workload.CutShortHandshakesWorkload.LOOPBACK;
import static dev.netprof.it.workload.CutShortHandshakesWorkload.line;
import static dev.netprof.it.workload.CutShortHandshakesWorkload.where;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Mutual TLS where the server rejects the client's certificate (a key pair it does not trust), once on TLS 1.3 and
 * once on TLS 1.2. On 1.3 the client's {@code startHandshake} returns once it has sent its Finished, before the
 * server has looked at its certificate: the client learns of the rejection from the alert its next read gets. On 1.2
 * the server's Finished comes after its verdict, so the client's {@code startHandshake} throws. Usage:
 * {@code RejectedClientCertificateWorkload <truth-file>}.
 *
 * <p>Truth lines, one per side: {@code <protocol> <role> <local> <remote> <call> <exception>}, the call that threw
 * ({@code handshake} or {@code read}) and what it threw.
 */
public final class RejectedClientCertificateWorkload {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("netprof-tls");
        Path server = dir.resolve("server.p12");
        Path client = dir.resolve("client.p12");
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            WebWorkload.SelfSigned.generate(server);
            WebWorkload.SelfSigned.generate(client);
            // Both sides trust the server's certificate alone.
            X509ExtendedTrustManager trusted = (X509ExtendedTrustManager) WebWorkload.SelfSigned.trustManager(server);
            SSLContext clientContext = WebWorkload.SelfSigned.context(client, trusted);
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                CountDownLatch clientReturned = new CountDownLatch(protocol.equals("TLSv1.3") ? 1 : 0);
                SSLContext serverContext = WebWorkload.SelfSigned.context(server, new After(clientReturned, trusted));
                rejected(protocol, serverContext, clientContext, clientReturned, truth);
            }
        } finally {
            Files.deleteIfExists(server);
            Files.deleteIfExists(client);
            Files.delete(dir);
        }
        System.out.println("rejected client certificate workload done");
    }

    static void rejected(String protocol, SSLContext server, SSLContext client, CountDownLatch clientReturned,
                         PrintStream truth) throws Exception {
        try (SSLServerSocket listener =
                 (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 5, LOOPBACK)) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {protocol});
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    String where = where(s);
                    try {
                        s.startHandshake();
                        throw new IllegalStateException("an untrusted client certificate was accepted");
                    } catch (SSLException expected) {
                        line(truth, protocol, "server", where, "handshake " + expected);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
                String where = where(s);
                s.setEnabledProtocols(new String[] {protocol});
                String call = "handshake";
                try {
                    s.startHandshake();
                    call = "read";
                    clientReturned.countDown();
                    s.getInputStream().read();
                    throw new IllegalStateException("the server accepted an untrusted client certificate");
                } catch (IOException expected) {
                    // On TLS 1.2 the server may have closed before the client's last handshake write: a broken pipe.
                    line(truth, protocol, "client", where, call + " " + expected);
                }
            }
            t.join();
        }
    }

    /**
     * Trusts what {@code trusted} trusts, but judges a client only once {@code clientReturned} is counted down: a
     * TLS 1.3 client writes its Certificate, CertificateVerify and Finished one by one, and a server that had rejected
     * it and closed before the last would give it a broken pipe in its handshake instead of the alert to read.
     */
    private static final class After extends X509ExtendedTrustManager {
        private final CountDownLatch clientReturned;
        private final X509ExtendedTrustManager trusted;

        After(CountDownLatch clientReturned, X509ExtendedTrustManager trusted) {
            this.clientReturned = clientReturned;
            this.trusted = trusted;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            try {
                if (!clientReturned.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the client's handshake did not return");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            trusted.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("a server's");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("SSLSocket only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("a server's");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("SSLSocket only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a server's");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trusted.getAcceptedIssuers();
        }
    }
}
