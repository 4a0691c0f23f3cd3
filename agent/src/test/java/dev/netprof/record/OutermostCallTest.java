package dev.netprof.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutermostCallTest {
    @Test
    void onlyTheOutermostCallBeginsAndEnds() {
        OutermostCall call = new OutermostCall();
        assertFalse(call.exit(), "a call that began before recording never entered");
        assertTrue(call.enter());
        long start = call.startNs;
        assertFalse(call.enter(), "nested");
        assertFalse(call.exit(), "the nested call ends");
        assertEquals(start, call.startNs, "the outermost call's start stays");
        assertTrue(call.exit(), "the outermost call ends");
        assertTrue(call.enter(), "the next call is outermost again");
    }
}
