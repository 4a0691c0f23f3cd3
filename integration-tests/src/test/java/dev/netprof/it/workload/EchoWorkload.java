package dev.netprof.it.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Echo traffic through every TCP and UDP API netprof instruments, with random sizes, counting every byte itself.
 * Usage: {@code EchoWorkload <truth-file> [seed]}.
 *
 * <p>Each TCP exchange is: the client sends random chunks, half-closes (shutdownOutput), the server echoes
 * everything until EOF and closes, the client reads the echo until EOF and closes.
 */
public final class EchoWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    final Truth truth = new Truth();
    final Random random;
    final ExecutorService servers = Executors.newCachedThreadPool();

    EchoWorkload(long seed) {
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        EchoWorkload w = new EchoWorkload(args.length > 1 ? Long.parseLong(args[1]) : 1);
        w.blockingSockets();
        w.blockingChannels();
        w.nonBlockingChannels();
        w.socketAdaptors();
        w.fileTransfers();
        w.urgentData();
        w.datagrams();
        w.servers.shutdownNow();
        w.truth.write(Path.of(args[0]));
        System.out.println("echo workload done");
    }

    /** java.net.Socket / ServerSocket: three ways to connect, single-byte and array reads and writes. */
    void blockingSockets() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress addr = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            for (int variant = 0; variant < 3; variant++) {
                Future<?> served = servers.submit(() -> {
                    try (Socket s = server.accept()) {
                        Truth.Side side = truth.tcp("server", "socket", s.getLocalSocketAddress(),
                            s.getRemoteSocketAddress());
                        echoUntilEof(s.getInputStream(), s.getOutputStream(), side);
                    }
                    return null;
                });
                Socket s;
                if (variant == 0) {
                    s = new Socket(LOOPBACK, addr.getPort());
                } else {
                    s = new Socket();
                    s.connect(addr, variant == 1 ? 2000 : 0);
                }
                try (s) {
                    Truth.Side side = truth.tcp("client", "socket", s.getLocalSocketAddress(),
                        s.getRemoteSocketAddress());
                    OutputStream out = s.getOutputStream();
                    out.write(7);
                    side.written.incrementAndGet();
                    sendChunks(out, side, 5 + random.nextInt(10));
                    s.shutdownOutput();
                    drain(s.getInputStream(), side);
                }
                served.get();
            }
        }
    }

    /** Blocking SocketChannels: gathering writes on the client, scattering reads on the server. */
    void blockingChannels() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            for (int c = 0; c < 2; c++) {
                Future<?> served = servers.submit(() -> {
                    try (SocketChannel ch = server.accept()) {
                        Truth.Side side = truth.tcp("server", "nio", ch.getLocalAddress(), ch.getRemoteAddress());
                        ByteBuffer[] bufs = {ByteBuffer.allocate(1000), ByteBuffer.allocate(3000)};
                        for (long n; (n = ch.read(bufs, 0, 2)) >= 0; ) {
                            side.read.addAndGet(n);
                            for (ByteBuffer b : bufs) {
                                b.flip();
                                while (b.hasRemaining()) {
                                    side.written.addAndGet(ch.write(b));
                                }
                                b.clear();
                            }
                        }
                    }
                    return null;
                });
                try (SocketChannel ch = SocketChannel.open(server.getLocalAddress())) {
                    Truth.Side side = truth.tcp("client", "nio", ch.getLocalAddress(), ch.getRemoteAddress());
                    for (int i = 0; i < 10; i++) {
                        ByteBuffer[] parts = {ByteBuffer.wrap(bytes(1 + random.nextInt(500))),
                            ByteBuffer.wrap(bytes(1 + random.nextInt(5000))), ByteBuffer.wrap(bytes(random.nextInt(50)))};
                        while (parts[0].hasRemaining() || parts[1].hasRemaining() || parts[2].hasRemaining()) {
                            side.written.addAndGet(ch.write(parts));
                        }
                    }
                    ch.shutdownOutput();
                    ByteBuffer in = ByteBuffer.allocate(7000);
                    for (int n; (n = ch.read(in)) >= 0; in.clear()) {
                        side.read.addAndGet(n);
                    }
                }
                served.get();
            }
        }
    }

    /** Non-blocking connect + finishConnect and selector-driven reads and writes on both ends. */
    void nonBlockingChannels() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             Selector serverSelector = Selector.open()) {
            server.configureBlocking(false);
            server.register(serverSelector, SelectionKey.OP_ACCEPT);
            Future<?> served = servers.submit(() -> selectorEchoServer(serverSelector, 1));
            try (SocketChannel ch = SocketChannel.open(); Selector selector = Selector.open()) {
                ch.configureBlocking(false);
                if (!ch.connect(server.getLocalAddress())) {
                    ch.register(selector, SelectionKey.OP_CONNECT);
                    while (!ch.finishConnect()) {
                        selector.select();
                    }
                }
                Truth.Side side = truth.tcp("client", "nio", ch.getLocalAddress(), ch.getRemoteAddress());
                ByteBuffer out = ByteBuffer.wrap(bytes(200_000));
                SelectionKey key = ch.keyFor(selector) != null ? ch.keyFor(selector) : ch.register(selector, 0);
                key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
                ByteBuffer in = ByteBuffer.allocate(16384);
                boolean shut = false;
                while (true) {
                    selector.select();
                    selector.selectedKeys().clear();
                    if (key.isWritable() && out.hasRemaining()) {
                        side.written.addAndGet(ch.write(out));
                    }
                    if (!out.hasRemaining() && !shut) {
                        ch.shutdownOutput();
                        key.interestOps(SelectionKey.OP_READ);
                        shut = true;
                    }
                    if (key.isReadable()) {
                        int n = ch.read(in);
                        in.clear();
                        if (n < 0) {
                            break;
                        }
                        side.read.addAndGet(n);
                    }
                }
            }
            served.get();
        }
    }

    private Void selectorEchoServer(Selector selector, int connections) throws IOException {
        int closed = 0;
        Map<SocketChannel, Truth.Side> sides = new HashMap<>();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (closed < connections) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                if (key.isAcceptable()) {
                    SocketChannel ch = ((ServerSocketChannel) key.channel()).accept();
                    if (ch != null) {
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                        sides.put(ch, truth.tcp("server", "nio", ch.getLocalAddress(), ch.getRemoteAddress()));
                    }
                } else if (key.isReadable()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    Truth.Side side = sides.get(ch);
                    buf.clear();
                    int n = ch.read(buf);
                    if (n < 0) {
                        ch.close();
                        closed++;
                        continue;
                    }
                    side.read.addAndGet(n);
                    buf.flip();
                    while (buf.hasRemaining()) {
                        side.written.addAndGet(ch.write(buf));
                    }
                }
            }
        }
        return null;
    }

    /** channel.socket(): the adaptor's accept, timed connect and streams (with a read timeout set). */
    void socketAdaptors() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            Future<?> served = servers.submit(() -> {
                try (Socket s = server.socket().accept()) {
                    Truth.Side side = truth.tcp("server", "nio", s.getLocalSocketAddress(), s.getRemoteSocketAddress());
                    echoUntilEof(s.getInputStream(), s.getOutputStream(), side);
                }
                return null;
            });
            try (Socket s = SocketChannel.open().socket()) {
                s.connect(server.getLocalAddress(), 2000);
                s.setSoTimeout(5000);
                Truth.Side side = truth.tcp("client", "nio", s.getLocalSocketAddress(), s.getRemoteSocketAddress());
                sendChunks(s.getOutputStream(), side, 8);
                s.shutdownOutput();
                drain(s.getInputStream(), side);
            }
            served.get();
        }
    }

    /**
     * A file served with {@code FileChannel.transferTo}, which the kernel sends from the page cache (sendfile) without
     * a write on the socket channel, and received with {@code transferFrom}. Once to a blocking channel, once to a
     * non-blocking one, whose transfers move what the socket buffer takes, often nothing. Each client sends a request
     * and half-closes; its server reads to EOF, sends the file and closes.
     */
    void fileTransfers() throws Exception {
        Path file = Files.createTempFile("netprof-echo", ".bin");
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            Files.write(file, bytes(300_000 + random.nextInt(300_000)));
            for (boolean blocking : new boolean[] {true, false}) {
                Future<?> served = servers.submit(() -> {
                    try (SocketChannel ch = server.accept(); FileChannel source = FileChannel.open(file)) {
                        Truth.Side side = truth.tcp("server", "nio", ch.getLocalAddress(), ch.getRemoteAddress());
                        ByteBuffer request = ByteBuffer.allocate(100);
                        for (int n; (n = ch.read(request)) >= 0; request.clear()) {
                            side.read.addAndGet(n);
                        }
                        sendFile(source, ch, blocking, side);
                    }
                    return null;
                });
                try (SocketChannel ch = SocketChannel.open(server.getLocalAddress());
                     FileChannel copy = FileChannel.open(Files.createTempFile("netprof-echo", ".copy"),
                         StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE)) {
                    Truth.Side side = truth.tcp("client", "nio", ch.getLocalAddress(), ch.getRemoteAddress());
                    side.written.addAndGet(ch.write(ByteBuffer.wrap(bytes(1 + random.nextInt(50)))));
                    ch.shutdownOutput();
                    // From a blocking channel, transferFrom returns 0 only at the end of the stream.
                    for (long n; (n = copy.transferFrom(ch, side.read.get(), 1 << 20)) > 0; ) {
                        side.read.addAndGet(n);
                    }
                }
                served.get();
            }
        } finally {
            Files.delete(file);
        }
    }

    /**
     * {@code sendUrgentData}, through a Socket and a socket adaptor: one byte each, out of band, which a server with
     * OOBINLINE reads in line. The server says when OOBINLINE is set, so the byte cannot arrive before it.
     */
    void urgentData() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress addr = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            for (String api : new String[] {"socket", "nio"}) {
                Future<?> served = servers.submit(() -> {
                    try (Socket s = server.accept()) {
                        Truth.Side side = truth.tcp("server", "socket", s.getLocalSocketAddress(),
                            s.getRemoteSocketAddress());
                        s.setOOBInline(true);
                        s.getOutputStream().write(1);
                        side.written.incrementAndGet();
                        drain(s.getInputStream(), side);
                    }
                    return null;
                });
                try (Socket s = api.equals("socket") ? new Socket(LOOPBACK, addr.getPort())
                        : SocketChannel.open(addr).socket()) {
                    Truth.Side side = truth.tcp("client", api, s.getLocalSocketAddress(), s.getRemoteSocketAddress());
                    InputStream in = s.getInputStream();
                    side.read.addAndGet(in.read() < 0 ? 0 : 1);
                    s.sendUrgentData(0x55);
                    side.written.incrementAndGet();
                    sendChunks(s.getOutputStream(), side, 2);
                    s.shutdownOutput();
                    drain(in, side);
                }
                served.get();
            }
        }
    }

    private static void sendFile(FileChannel source, SocketChannel ch, boolean blocking, Truth.Side side)
            throws IOException {
        ch.configureBlocking(blocking);
        try (Selector selector = Selector.open()) {
            if (!blocking) {
                ch.register(selector, SelectionKey.OP_WRITE);
            }
            for (long size = source.size(); side.written.get() < size; ) {
                if (!blocking) {
                    selector.select();
                    selector.selectedKeys().clear();
                }
                side.written.addAndGet(source.transferTo(side.written.get(), size - side.written.get(), ch));
            }
        }
    }

    /** A DatagramSocket echo server and three clients: unconnected channel, connected channel, DatagramSocket. */
    void datagrams() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            SocketAddress serverAddr = server.getLocalSocketAddress();
            Map<SocketAddress, Truth.Side> serverSides = new HashMap<>();
            int perClient = 12;
            Future<?> served = servers.submit(() -> {
                byte[] buf = new byte[65507];
                for (int i = 0; i < 3 * perClient; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    server.receive(p);
                    Truth.Side side = serverSides.computeIfAbsent(p.getSocketAddress(),
                        peer -> truth.udp("server", serverAddr, peer));
                    side.read.addAndGet(p.getLength());
                    side.datagramsIn.incrementAndGet();
                    server.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    side.written.addAndGet(p.getLength());
                    side.datagramsOut.incrementAndGet();
                }
                return null;
            });
            try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
                Truth.Side side = truth.udp("client", ch.getLocalAddress(), serverAddr);
                ByteBuffer in = ByteBuffer.allocate(65507);
                for (int i = 0; i < perClient; i++) {
                    int n = ch.send(ByteBuffer.wrap(bytes(1 + random.nextInt(1400))), serverAddr);
                    side.written.addAndGet(n);
                    side.datagramsOut.incrementAndGet();
                    in.clear();
                    ch.receive(in);
                    side.read.addAndGet(in.position());
                    side.datagramsIn.incrementAndGet();
                }
            }
            try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
                ch.connect(serverAddr);
                Truth.Side side = truth.udp("client", ch.getLocalAddress(), serverAddr);
                ByteBuffer in = ByteBuffer.allocate(65507);
                for (int i = 0; i < perClient; i++) {
                    side.written.addAndGet(ch.write(ByteBuffer.wrap(bytes(1 + random.nextInt(9000)))));
                    side.datagramsOut.incrementAndGet();
                    in.clear();
                    side.read.addAndGet(ch.read(in));
                    side.datagramsIn.incrementAndGet();
                }
            }
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                Truth.Side side = truth.udp("client", s.getLocalSocketAddress(), serverAddr);
                byte[] buf = new byte[65507];
                for (int i = 0; i < perClient; i++) {
                    byte[] msg = bytes(1 + random.nextInt(3000));
                    s.send(new DatagramPacket(msg, msg.length, serverAddr));
                    side.written.addAndGet(msg.length);
                    side.datagramsOut.incrementAndGet();
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    side.read.addAndGet(p.getLength());
                    side.datagramsIn.incrementAndGet();
                }
            }
            served.get();
        }
    }

    void sendChunks(OutputStream out, Truth.Side side, int chunks) throws IOException {
        for (int i = 0; i < chunks; i++) {
            byte[] b = bytes(1 + random.nextInt(random.nextBoolean() ? 100 : 200_000));
            out.write(b);
            side.written.addAndGet(b.length);
        }
    }

    static void echoUntilEof(InputStream in, OutputStream out, Truth.Side side) throws IOException {
        int first = in.read();
        if (first < 0) {
            return;
        }
        side.read.incrementAndGet();
        out.write(first);
        side.written.incrementAndGet();
        byte[] buf = new byte[16384];
        for (int n; (n = in.read(buf)) >= 0; ) {
            side.read.addAndGet(n);
            out.write(buf, 0, n);
            side.written.addAndGet(n);
        }
    }

    /** Reads {@code in} to its end: how many bytes came. */
    static long drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
        }
        return total;
    }

    /** Reads {@code in} to its end, counting into {@code side} as it goes, so a reset mid-way keeps what came. */
    static void drain(InputStream in, Truth.Side side) throws IOException {
        byte[] buf = new byte[10000];
        for (int n; (n = in.read(buf)) >= 0; ) {
            side.read.addAndGet(n);
        }
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
