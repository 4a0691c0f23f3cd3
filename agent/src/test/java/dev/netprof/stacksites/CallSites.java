package dev.netprof.stacksites;

import java.util.function.IntSupplier;

/** Stack captures made outside netprof's recording package, whose frames a capture leaves out. */
public final class CallSites {
    /** Captures twice from one call site; returns both ids and the site's line. */
    public static int[] oneSiteTwice(IntSupplier capture) {
        int[] ids = new int[3];
        for (int i = 0; i < 2; i++) {
            ids[i] = capture.getAsInt(); ids[2] = callerLine();
        }
        return ids;
    }

    /** Captures from two sites in one method; returns the first id and line, then the second's. */
    public static int[] twoSites(IntSupplier capture) {
        int first = capture.getAsInt(); int firstLine = callerLine();
        int second = capture.getAsInt(); int secondLine = callerLine();
        return new int[] {first, firstLine, second, secondLine};
    }

    /** Captures twice on one line (two call sites, one line): returns both ids. */
    public static int[] twoSitesOnOneLine(IntSupplier capture) {
        return new int[] {capture.getAsInt(), capture.getAsInt()};
    }

    /** Captures at one site reached from two callers: returns both ids. */
    public static int[] oneSiteTwoCallers(IntSupplier capture) {
        int first = viaFirstCaller(capture);
        int second = viaSecondCaller(capture);
        return new int[] {first, second};
    }

    private static int viaFirstCaller(IntSupplier capture) {
        return site(capture);
    }

    private static int viaSecondCaller(IntSupplier capture) {
        return site(capture);
    }

    private static int site(IntSupplier capture) {
        return capture.getAsInt();
    }

    private static int callerLine() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst()).orElseThrow().getLineNumber();
    }

    private CallSites() {
    }
}
