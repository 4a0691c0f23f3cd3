package dev.netprof.it.workload;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * Traffic through socket APIs netprof does not instrument (AsynchronousSocketChannel and its server), then through a
 * Socket and a DatagramSocket, which it does unless JDK 17 is told to use its legacy implementations; and an HTTP
 * client it does not instrument, Apache's minimal async client, started and closed. Usage: {@code
 * UnrecordedApiWorkload [seconds to stay up after]}.
 */
public final class UnrecordedApiWorkload {
    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(loopback, 0));
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            client.connect(server.getLocalAddress()).get();
            try (AsynchronousSocketChannel accepted = server.accept().get()) {
                client.write(ByteBuffer.wrap(new byte[10])).get();
                ByteBuffer in = ByteBuffer.allocate(10);
                while (in.hasRemaining()) {
                    accepted.read(in).get();
                }
            }
        }
        try (ServerSocket server = new ServerSocket(0, 50, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept();
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            client.getOutputStream().write(new byte[10]);
            accepted.getInputStream().readNBytes(10);
            udp.send(new DatagramPacket(new byte[10], 10, udp.getLocalSocketAddress()));
        }
        try (org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient minimal =
                 org.apache.hc.client5.http.impl.async.HttpAsyncClients.createMinimal()) {
            minimal.start();
        }
        System.out.println("unrecorded APIs used");
        if (args.length > 0) {
            Thread.sleep(Long.parseLong(args[0]) * 1000); // for an attach after the fact
        }
    }

    private UnrecordedApiWorkload() {
    }
}
