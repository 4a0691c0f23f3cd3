package dev.netprof.it.workload;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Netty, the way most JVM servers and clients use it: HTTP/1.1 over TLS (the JDK's SSLEngine in Netty's SslHandler),
 * keep-alive, a server whose one event loop serves every connection and a client whose one event loop drives six
 * connections at once, each sending three requests of its own sizes, answered with twice as many bytes, before it
 * closes. First over Netty's NIO transport, which netprof records through the JDK's channels; then two connections the
 * same way over Netty's native epoll transport, which makes its own system calls and which netprof can only name.
 * Over NIO, two more clients send their ClientHello and hang up without an alert.
 * Usage: {@code NettyWorkload <truth-file>}.
 *
 * <p>Each side of each connection counts, at the head of its pipeline, the bytes its socket read and wrote, and,
 * between the SslHandler and the HTTP codec, the plaintext. Truth lines, one per side:
 * {@code <transport> <role> <local> <remote> <read> <written> <plaintext read> <plaintext written> <handshake>},
 * where the transport is {@code nio} or {@code epoll} and the handshake {@code ok} or its failure (the hung-up
 * clients' servers only).
 */
public final class NettyWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int CONNECTIONS = 6;
    static final int REQUESTS = 3;

    public static void main(String[] args) throws Exception {
        SSLContext tls = WebWorkload.SelfSigned.temporary();
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            for (String line : exchange(tls, "nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                    NioSocketChannel.class, CONNECTIONS, 2)) {
                truth.println(line);
            }
            if (!Epoll.isAvailable()) {
                throw new IllegalStateException("Netty's epoll transport is unavailable", Epoll.unavailabilityCause());
            }
            for (String line : exchange(tls, "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class, 2, 0)) {
                truth.println(line);
            }
        }
        System.out.println("netty workload done");
    }

    /**
     * Runs the exchanges over one transport, then has {@code hangUps} clients send their ClientHello and hang up;
     * returns a truth line for each side of each connection, and for the server's side of each hung-up one.
     */
    private static List<String> exchange(SSLContext tls, String transport, IoHandlerFactory io,
            Class<? extends ServerSocketChannel> serverType, Class<? extends SocketChannel> clientType,
            int connections, int hangUps) throws Exception {
        EventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, io);
        List<Side> served = new CopyOnWriteArrayList<>();
        try {
            Channel server = new ServerBootstrap().group(serverLoop).channel(serverType)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Side side = new Side("server", ch, tls.createSSLEngine(), false);
                        served.add(side);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                            new Answer());
                    }
                }).bind(LOOPBACK, 0).sync().channel();
            List<Client> clients = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                clients.add(new Client(tls, clientLoop, clientType, (InetSocketAddress) server.localAddress()));
            }
            for (int r = 0; r < REQUESTS; r++) { // every connection's request r in flight at once
                for (int c = 0; c < connections; c++) {
                    clients.get(c).send(bodyOf(c, r));
                }
                for (int c = 0; c < connections; c++) {
                    clients.get(c).await(2 * bodyOf(c, r));
                }
            }
            List<String> lines = new ArrayList<>();
            for (Client c : clients) {
                c.channel.close().sync();
                lines.add(c.side.truth(transport));
            }
            for (int h = 0; h < hangUps; h++) {
                hangUpAfterClientHello(tls, (InetSocketAddress) server.localAddress());
            }
            if (served.size() != connections + hangUps) {
                throw new IllegalStateException(served.size() + " connections served, not " + (connections + hangUps));
            }
            for (Side s : served) {
                if (!s.channel.closeFuture().await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("still open after 30 s: " + s.channel);
                }
                lines.add(s.truth(transport));
            }
            server.close().sync();
            return lines;
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * A client that sends its ClientHello, then its FIN, and reads what the server answers until the server closes:
     * a peer that gives up on the handshake without an alert (as the JDK HttpClient does when it rejects the server's
     * certificate). Reading to the end keeps the server's writes from meeting a reset.
     */
    private static void hangUpAfterClientHello(SSLContext tls, InetSocketAddress server) throws Exception {
        SSLEngine engine = tls.createSSLEngine("localhost", server.getPort());
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.getOutputStream().write(hello.array(), 0, hello.position());
            s.shutdownOutput();
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
        }
    }

    static int bodyOf(int connection, int request) {
        return 1500 * (connection + 1) + 211 * request + 3;
    }

    /** One side of a connection: its pipeline's TLS and byte counters. */
    static final class Side {
        final String role;
        final Channel channel;
        final Counter wire = new Counter();
        final Counter plaintext = new Counter();
        final SslHandler tls;

        Side(String role, Channel channel, SSLEngine engine, boolean client) {
            this.role = role;
            this.channel = channel;
            engine.setUseClientMode(client);
            tls = new SslHandler(engine);
            channel.pipeline().addLast(wire, tls, plaintext);
        }

        String truth(String transport) {
            var handshake = tls.handshakeFuture();
            String outcome = handshake.isSuccess() ? "ok" : String.valueOf(handshake.cause());
            return String.join(" ", transport, role, Truth.format(channel.localAddress()),
                Truth.format(channel.remoteAddress()), Long.toString(wire.read.get()), Long.toString(wire.written.get()),
                Long.toString(plaintext.read.get()), Long.toString(plaintext.written.get()), outcome);
        }
    }

    /**
     * Counts the bytes passing its place in a pipeline: inbound as they arrive, outbound once their write succeeded
     * (at the head of the pipeline, once the socket took them).
     */
    static final class Counter extends ChannelDuplexHandler {
        final AtomicLong read = new AtomicLong();
        final AtomicLong written = new AtomicLong();

        @Override
        public boolean isSharable() {
            return false;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            read.addAndGet(((ByteBuf) msg).readableBytes());
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            long n = ((ByteBuf) msg).readableBytes();
            ChannelPromise counted = promise.unvoid();
            counted.addListener(f -> {
                if (f.isSuccess()) {
                    written.addAndGet(n);
                }
            });
            ctx.write(msg, counted);
        }
    }

    /** The server's handler: each request answered with twice its body's bytes. */
    static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int size = 2 * request.content().readableBytes();
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(new byte[size]));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, size);
            ctx.writeAndFlush(response);
        }
    }

    /** A keep-alive client connection; {@link #await} takes its responses in order. */
    static final class Client {
        final Channel channel;
        final Side side;
        final BlockingQueue<Integer> answered = new ArrayBlockingQueue<>(REQUESTS);

        Client(SSLContext tls, EventLoopGroup loop, Class<? extends SocketChannel> type, InetSocketAddress server)
                throws InterruptedException {
            Side[] made = new Side[1];
            channel = new Bootstrap().group(loop).channel(type).handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    made[0] = new Side("client", ch, tls.createSSLEngine("localhost", server.getPort()), true);
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                answered.add(response.content().readableBytes());
                            }
                        });
                }
            }).connect(server).sync().channel();
            side = made[0];
        }

        void send(int body) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(new byte[body]));
            request.headers().set(HttpHeaderNames.HOST, "localhost").setInt(HttpHeaderNames.CONTENT_LENGTH, body);
            channel.writeAndFlush(request);
        }

        void await(int expected) throws InterruptedException {
            Integer got = answered.poll(30, TimeUnit.SECONDS);
            if (got == null || got != expected) {
                throw new IllegalStateException("answered " + got + " bytes, not " + expected + " on " + channel);
            }
        }
    }

    private NettyWorkload() {
    }
}
