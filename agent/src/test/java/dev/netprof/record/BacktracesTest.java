package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.stacksites.CallSites;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktracesTest {
    private static final String OWN = "dev.netprof.record.";
    private final List<Backtraces.Fingerprint> taken = new ArrayList<>();

    @Test
    void thisJvmsBacktracesAreRead() {
        assertTrue(Backtraces.READABLE, "the backtrace layout check failed: every capture would resolve its stack");
    }

    @Test
    void oneSiteIsOneFingerprint() {
        CallSites.oneSiteTwice(() -> take(Stacks.MAX_DEPTH));
        assertEquals(taken.get(0), taken.get(1));
    }

    @Test
    void twoSitesOnOneLineAreTwoFingerprints() {
        CallSites.twoSitesOnOneLine(() -> take(Stacks.MAX_DEPTH));
        assertNotEquals(taken.get(0), taken.get(1)); // two bytecode indexes: Stacks maps both to one stack
    }

    @Test
    void aShallowStackIsTakenWhole() {
        CallSites.oneSiteTwoCallers(() -> take(Stacks.MAX_DEPTH));
        assertNotEquals(taken.get(0), taken.get(1)); // the callers differ one frame out
    }

    @Test
    void inADeepStackFramesPastTheLimitAreNotPartOfIt() {
        // Deeper than twice the limit. netprof's own frames (this lambda) do not count: a limit of 1 keeps
        // CallSites.site alone, a limit of 2 its caller too.
        CallSites.oneSiteTwoCallers(() -> take(1));
        assertEquals(taken.get(0), taken.get(1));
        CallSites.oneSiteTwoCallers(() -> take(2));
        assertNotEquals(taken.get(2), taken.get(3));
    }

    private int take(int maxFrames) {
        taken.add(Backtraces.fingerprint(new Throwable(), OWN, maxFrames));
        return taken.size();
    }
}
