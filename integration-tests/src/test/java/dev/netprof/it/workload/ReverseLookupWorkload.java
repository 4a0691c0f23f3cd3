package dev.netprof.it.workload;

import java.net.InetAddress;

/**
 * Reverse lookups, run with a hosts file that names 127.0.0.1 only: one that finds the name (and confirms it with a
 * lookup of the name), one that finds none, then a lookup of the name, which the first left in the JVM's cache.
 * Prints what the JDK answered, for the test to compare.
 */
public final class ReverseLookupWorkload {
    public static void main(String[] args) throws Exception {
        System.out.println(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getHostName());
        System.out.println(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}).getCanonicalHostName());
        System.out.println(InetAddress.getByName(args[0]).getHostAddress());
    }

    private ReverseLookupWorkload() {
    }
}
