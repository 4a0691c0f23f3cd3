package dev.netprof.flush;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kernel's view of this process's sockets (Linux): for each socket the JVM holds open (its inode among
 * /proc/self/fd), the TCP state, send and receive queues, pending timer and retransmits from /proc/net/tcp{,6},
 * queues and drops from /proc/net/udp{,6}; and the TCP counters of /proc/net/netstat and /proc/net/snmp (listen
 * overflows and drops, retransmits, resets), which the kernel keeps per network namespace, not per process.
 * Read by {@link KernelWatch} on a thread of its own; file reads only, so the instrumentation never sees them.
 * Anywhere else, or when /proc cannot be read, a snapshot is simply empty.
 */
final class KernelView {
    /** The counters worth keeping, by the file section that has them. */
    static final Map<String, List<String>> COUNTERS = Map.of(
        "TcpExt:", List.of("ListenOverflows", "ListenDrops", "TCPTimeouts", "TCPAbortOnTimeout", "TCPAbortOnData",
            "TCPAbortOnClose", "TCPSynRetrans", "TCPBacklogDrop"),
        "Tcp:", List.of("ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets", "RetransSegs", "InErrs", "OutRsts"),
        "Udp:", List.of("RcvbufErrors", "SndbufErrors", "InErrors"));

    /** One socket line that belongs to this process. */
    record Socket(boolean udp, String local, String remote, int state, long sendQueue, long receiveQueue, int timer,
                  long retransmits, long drops) {
    }

    /** What the kernel showed at {@code atNs}. */
    record Snapshot(long atNs, List<Socket> sockets, Map<String, Long> counters) {
        boolean isEmpty() {
            return sockets.isEmpty() && counters.isEmpty();
        }
    }

    /** The inode's place in a table line: {@code sl local rem st tx:rx tr:when retrnsmt uid timeout inode}. */
    private static final int INODE = 9;
    /**
     * Compiled once: {@code String.split("\\s+")} compiled it for every socket line, and the view runs too rarely to
     * be compiled itself, so an idle JVM's three sockets took ~0.3 ms of each snapshot in the interpreter.
     */
    private static final Pattern FIELDS = Pattern.compile("\\s+");

    private final Path proc;
    /** A window of ~400 table lines (~150 bytes each); one snapshot at a time. */
    private final byte[] buffer = new byte[64 << 10];

    KernelView(Path proc) {
        this.proc = proc;
    }

    static KernelView ofThisProcess() {
        return new KernelView(Path.of("/proc"));
    }

    Snapshot snapshot(long atNs) {
        return new Snapshot(atNs, sockets(), counters());
    }

    List<Socket> sockets() {
        long[] inodes = socketInodes();
        List<Socket> out = new ArrayList<>();
        if (inodes.length == 0) {
            return out;
        }
        for (String file : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            try (InputStream in = Files.newInputStream(proc.resolve("net").resolve(file))) {
                scan(in, file.startsWith("udp"), inodes, out);
            } catch (IOException | RuntimeException e) {
                // not Linux, or no such table (no IPv6): nothing to add
            }
        }
        return out;
    }

    /**
     * The table lists every socket of the network namespace, other processes' and TIME_WAIT's included (42 k lines,
     * 6 MB, while a loopback benchmark opens 16 k connections a second): a line is decoded only when its inode is one
     * of ours, so reading the table allocates in proportion to this process's sockets, not the host's.
     */
    private void scan(InputStream in, boolean udp, long[] inodes, List<Socket> out) throws IOException {
        int length = 0;
        boolean header = true;
        for (int n; (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
            length += n;
            int start = 0;
            for (int end; (end = indexOf('\n', start, length)) >= 0; start = end + 1) {
                if (!header && Arrays.binarySearch(inodes, inode(start, end)) >= 0) {
                    out.add(socket(udp, new String(buffer, start, end - start, StandardCharsets.US_ASCII)));
                }
                header = false;
            }
            if (start == 0 && length == buffer.length) {
                throw new IOException("a line longer than " + buffer.length + " bytes: not a socket table");
            }
            System.arraycopy(buffer, start, buffer, 0, length - start);
            length -= start;
        }
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The inode field of the line in {@code buffer[start, end)}; -1 if it has none. */
    private long inode(int start, int end) {
        int i = start;
        for (int f = 0; ; f++) {
            while (i < end && buffer[i] == ' ') {
                i++;
            }
            if (i == end) {
                return -1;
            }
            if (f == INODE) {
                long v = 0;
                for (; i < end && buffer[i] != ' '; i++) {
                    int d = buffer[i] - '0';
                    if (d < 0 || d > 9) {
                        return -1;
                    }
                    v = v * 10 + d;
                }
                return v;
            }
            while (i < end && buffer[i] != ' ') {
                i++;
            }
        }
    }

    private static Socket socket(boolean udp, String line) {
        String[] f = FIELDS.split(line.trim());
        String[] queues = f[4].split(":");
        return new Socket(udp, address(f[1]), address(f[2]), Integer.parseInt(f[3], 16), Long.parseLong(queues[0], 16),
            Long.parseLong(queues[1], 16), Integer.parseInt(f[5].split(":")[0], 16), Long.parseLong(f[6], 16),
            udp && f.length > 12 ? Long.parseLong(f[12]) : 0);
    }

    Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String file : new String[] {"netstat", "snmp"}) {
            try {
                List<String> lines = Files.readAllLines(proc.resolve("net").resolve(file));
                for (int i = 0; i + 1 < lines.size(); i++) {
                    String[] names = lines.get(i).split(" ");
                    String[] values = lines.get(i + 1).split(" ");
                    List<String> wanted = COUNTERS.get(names[0]);
                    if (wanted == null || !names[0].equals(values[0]) || names.length != values.length) {
                        continue;
                    }
                    for (int k = 1; k < names.length; k++) {
                        if (wanted.contains(names[k])) {
                            out.put(names[k], Long.parseLong(values[k]));
                        }
                    }
                    i++;
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no counters
            }
        }
        return out;
    }

    /** The inodes of the sockets among this process's file descriptors, sorted. */
    private long[] socketInodes() {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self").resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && target.endsWith("]")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | NumberFormatException skipped) {
                    // the fd went away between listing and reading, or names no socket inode
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return inodes.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /**
     * {@code 0100007F:1F90} (IPv4, the address in host byte order) or the 32-digit IPv6 form (four host-order
     * words) to netprof's {@code 127.0.0.1:8080} / {@code [0:0:0:0:0:0:0:1]:8080}.
     */
    static String address(String hex) {
        int colon = hex.indexOf(':');
        String ip = hex.substring(0, colon);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        byte[] bytes = new byte[ip.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            long v = Long.parseLong(ip.substring(word * 8, word * 8 + 8), 16);
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) (v >>> (8 * b)); // little-endian word
            }
        }
        try {
            String host = InetAddress.getByAddress(bytes).getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        } catch (UnknownHostException e) {
            return hex;
        }
    }
}
