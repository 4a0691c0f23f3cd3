package dev.netprof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netprof.instrument.Family;
import dev.netprof.record.StackSampling;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void noOptionsGiveAWorkingDefault() throws Exception {
        Options o = Options.parse(null);
        assertEquals(null, o.out);
        assertEquals(0, o.durationNs);
        assertEquals(EnumSet.allOf(Family.class), o.events);
        assertEquals(32L << 20, o.bufferBytes);
        assertEquals(20_000_000_000L, o.exitWaitNs);
        assertEquals(10_000_000_000L, o.hookWaitNs);
    }

    @Test
    void everyKeyParses() throws Exception {
        Options o = Options.parse("out=/tmp/x,duration=30s,events=udp,threshold=250us,buffer=8m,stacks=all,"
            + "syscalls=kernel,closewait=2s,http.query=keep,exitwait=0,hookwait=500ms");
        assertEquals(Path.of("/tmp/x"), o.out);
        assertEquals(30_000_000_000L, o.durationNs);
        assertEquals(EnumSet.of(Family.UDP), o.events);
        assertEquals(250_000L, o.thresholdNs);
        assertEquals(8L << 20, o.bufferBytes);
        assertEquals(StackSampling.ALL, o.stacks);
        assertEquals("kernel", o.syscalls);
        assertEquals(2_000_000_000L, o.closeWaitNs);
        assertTrue(o.keepQuery);
        assertEquals(0, o.exitWaitNs);
        assertEquals(500_000_000L, o.hookWaitNs);
        Options other = Options.parse("stacks=off,http.query=drop");
        assertEquals(StackSampling.OFF, other.stacks);
        assertFalse(other.keepQuery);
    }

    @Test
    void durationsAndSizesTakeTheirUnits() {
        assertEquals(500_000_000L, Options.duration("500ms"));
        assertEquals(120_000_000_000L, Options.duration("2m"));
        assertEquals(3_600_000_000_000L, Options.duration("1h"));
        assertEquals(7_000_000_000L, Options.duration("7"));
        assertEquals(42L, Options.duration("42ns"));
        assertEquals(512L << 10, Options.size("512k"));
        assertEquals(1L << 30, Options.size("1g"));
        assertEquals(65536L, Options.size("65536"));
    }

    @Test
    void aCommaSeparatedEventListContinuesTheEventsOption() throws Exception {
        Options o = Options.parse("events=socket,udp,duration=1s");
        assertEquals(EnumSet.of(Family.SOCKET, Family.UDP), o.events);
        assertEquals(1_000_000_000L, o.durationNs);
    }

    @Test
    void anUnknownKeyIsNamedWithTheAcceptedKeys() {
        Options.BadOption e = assertThrows(Options.BadOption.class, () -> Options.parse("out=x,colour=blue"));
        assertEquals("unknown option 'colour' (accepted: out, duration, events, threshold, buffer, stacks, syscalls, "
            + "closewait, http.query, exitwait, hookwait)", e.getMessage());
    }

    @Test
    void theBuffersTakeAtMostAQuarterOfTheHeap() throws Exception {
        long heap = 64L << 20;
        Options small = Options.parse("");
        small.fitHeap(heap);
        assertEquals(16L << 20, small.bufferBytes, "the default shrinks to fit");
        Options large = Options.parse("");
        large.fitHeap(1L << 30);
        assertEquals(32L << 20, large.bufferBytes);
        Options given = Options.parse("buffer=32m");
        assertEquals("buffer=32m is more than a quarter of this JVM's heap (64 MB), which netprof's buffers come out of",
            assertThrows(Options.BadOption.class, () -> given.fitHeap(heap)).getMessage());
        Options fits = Options.parse("buffer=16m");
        fits.fitHeap(heap);
        assertEquals(16L << 20, fits.bufferBytes);
    }

    @Test
    void aBadValueNamesTheKeyAndWhatItAccepts() {
        Options.BadOption e = assertThrows(Options.BadOption.class, () -> Options.parse("duration=soon"));
        assertEquals("bad value 'soon' for option 'duration' (accepted: a duration such as 30s, 500ms, 5m, 1h)",
            e.getMessage());
        assertTrue(assertThrows(Options.BadOption.class, () -> Options.parse("events=socket,carrier-pigeon"))
            .getMessage().startsWith("bad value 'socket+carrier-pigeon' for option 'events'"));
        assertThrows(Options.BadOption.class, () -> Options.parse("buffer=1k"));
        assertThrows(Options.BadOption.class, () -> Options.parse("buffer=17179869185g"), "2^64 + 1 GB, not 1 GB");
        assertThrows(Options.BadOption.class, () -> Options.parse("http.query=maybe"));
        assertThrows(Options.BadOption.class, () -> Options.parse("stacks=some"));
        assertThrows(Options.BadOption.class, () -> Options.parse("duration=0"));
    }
}
