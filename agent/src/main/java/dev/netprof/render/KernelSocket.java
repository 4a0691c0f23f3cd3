package dev.netprof.render;

/** One socket as the kernel saw it (from /proc/net/*), at one moment of the recording. */
public record KernelSocket(long atNs, boolean udp, String local, String remote, int state, long sendQueue,
                           long receiveQueue, int timer, long retransmits, long drops) {
    /** The kernel's number for a TCP socket whose peer closed while this side has not. */
    static final int CLOSE_WAIT = 8;
    private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    public String stateName() {
        if (udp) {
            return state == 1 ? "CONNECTED" : "UNCONNECTED";
        }
        return state > 0 && state < TCP_STATES.length ? TCP_STATES[state] : "state-" + state;
    }

    /** The kernel timer pending on the socket: retransmission, keepalive or zero-window probe; null for none. */
    public String timerName() {
        switch (timer) {
            case 1: return "retransmit";
            case 2: return "keepalive";
            case 3: return "time-wait";
            case 4: return "zero-window-probe";
            default: return null;
        }
    }

    String key() {
        return (udp ? "udp " : "tcp ") + local + " " + remote;
    }
}
