package dev.netprof.it.workload;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread sends 60,000-byte datagrams as fast as it can, with {@code send} or a connected channel's {@code write},
 * until another thread interrupts it. The interrupt closes the channel; when it lands as a send returns, the send
 * throws ClosedByInterruptException although its datagram went, which its buffer's moved position shows. Several
 * trials of each, so that some end that way. Usage: {@code InterruptedDatagramsWorkload <truth-file>}.
 *
 * <p>Truth lines, one per trial: {@code <how> <local> <remote> <calls> <bytes sent> <whether the last call's
 * datagram went>}, counted by the sender: every call, and the bytes of those that returned plus the last one's.
 */
public final class InterruptedDatagramsWorkload {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final int TRIALS = 8;
    static final int SIZE = 60_000;

    public static void main(String[] args) throws Exception {
        try (PrintStream truth = new PrintStream(Files.newOutputStream(Path.of(args[0])), true)) {
            for (int i = 0; i < TRIALS; i++) {
                trial(false, truth);
                trial(true, truth);
            }
        }
        System.out.println("interrupted datagrams workload done");
    }

    static void trial(boolean connected, PrintStream truth) throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            SocketAddress target = receiver.getLocalAddress();
            if (connected) {
                sender.connect(target);
            }
            String where = Truth.where(sender.getLocalAddress(), target);
            long[] sent = new long[2]; // calls, bytes
            CountDownLatch going = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            Thread sending = new Thread(() -> {
                try {
                    while (true) {
                        b.clear();
                        sent[0]++;
                        sent[1] += connected ? sender.write(b) : sender.send(b, target);
                        going.countDown();
                    }
                } catch (IOException e) {
                    sent[1] += b.position();
                    outcome.set(e);
                }
            });
            sending.start();
            going.await(); // a send returned, so the flow exists however slow the machine
            Thread.sleep(100);
            sending.interrupt();
            sending.join();
            if (!(outcome.get() instanceof ClosedByInterruptException)) {
                throw new IllegalStateException("the sends were to end at the interrupt, not with " + outcome.get());
            }
            truth.println((connected ? "write" : "send") + " " + where + " " + sent[0] + " " + sent[1] + " "
                + (b.position() > 0));
        }
    }

    private InterruptedDatagramsWorkload() {
    }
}
