package dev.netprof.it.workload;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A tiny application that makes one connection and prints one line: enough to see netprof leave it unharmed. */
public final class HelloWorkload {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            s.getOutputStream().write(new byte[10]);
            peer.getInputStream().readNBytes(10);
        }
        System.out.println("hello, unharmed");
    }
}
