package dev.netprof.agent;

/** netprof's version, from the jar manifest. */
public final class Version {
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private Version() {
    }
}
