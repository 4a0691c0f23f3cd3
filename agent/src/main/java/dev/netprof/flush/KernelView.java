package dev.netprof.flush;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's view of this process's sockets (Linux): for each socket the JVM holds open (its inode among
 * /proc/self/fd), the TCP state, send and receive queues, pending timer and retransmits from /proc/net/tcp{,6},
 * queues and drops from /proc/net/udp{,6}; and the TCP counters of /proc/net/netstat and /proc/net/snmp (listen
 * overflows and drops, retransmits, resets), which the kernel keeps per network namespace, not per process.
 * Read on the flusher thread; file reads only, so the instrumentation never sees them. Anywhere else, or when
 * /proc cannot be read, a snapshot is simply empty.
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

    private final Path proc;

    KernelView(Path proc) {
        this.proc = proc;
    }

    static KernelView ofThisProcess() {
        return new KernelView(Path.of("/proc"));
    }

    List<Socket> sockets() {
        Set<String> inodes = socketInodes();
        List<Socket> out = new ArrayList<>();
        if (inodes.isEmpty()) {
            return out;
        }
        for (String file : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            boolean udp = file.startsWith("udp");
            try {
                List<String> lines = Files.readAllLines(proc.resolve("net").resolve(file));
                for (int i = 1; i < lines.size(); i++) {
                    String[] f = lines.get(i).trim().split("\\s+");
                    if (f.length < 10 || !inodes.contains(f[9])) {
                        continue;
                    }
                    String[] queues = f[4].split(":");
                    out.add(new Socket(udp, address(f[1]), address(f[2]), Integer.parseInt(f[3], 16),
                        Long.parseLong(queues[0], 16), Long.parseLong(queues[1], 16),
                        Integer.parseInt(f[5].split(":")[0], 16), Long.parseLong(f[6], 16),
                        udp && f.length > 12 ? Long.parseLong(f[12]) : 0));
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or no such table (no IPv6): nothing to add
            }
        }
        return out;
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

    private Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self").resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the fd went away between listing and reading
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return inodes;
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
