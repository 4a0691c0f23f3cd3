package dev.netprof.instrument;

/** Event families, switched on and off with the {@code events=} option. */
public enum Family {
    SOCKET, UDP, SELECT, TLS, HTTP, DNS
}
