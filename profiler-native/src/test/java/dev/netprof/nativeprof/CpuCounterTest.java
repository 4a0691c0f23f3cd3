package dev.netprof.nativeprof;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CPUs netprof reads the time-stamp counter of: their cpuinfo, as Linux writes it. */
class CpuCounterTest {
    @TempDir
    Path work;

    @Test
    void readsTheCounterOnlyWhereTheCpuSaysItIsConstantAndNonstop() throws Exception {
        assertTrue(CpuCounter.invariant(cpuinfo("fpu vme tsc msr constant_tsc rep_good nopl nonstop_tsc cpuid")));
        assertFalse(CpuCounter.invariant(cpuinfo("fpu vme tsc msr constant_tsc rep_good nopl cpuid")), "stops");
        assertFalse(CpuCounter.invariant(cpuinfo("fpu vme tsc msr rep_good nopl nonstop_tsc cpuid")), "varies");
        assertFalse(CpuCounter.invariant(cpuinfo("fpu vme msr constant_tscx nonstop_tsc")), "a longer word");
        Path noFlags = work.resolve("aarch64");
        Files.writeString(noFlags, "processor\t: 0\nFeatures\t: fp asimd evtstrm aes\n");
        assertFalse(CpuCounter.invariant(noFlags), "no flags line");
    }

    private Path cpuinfo(String flags) throws Exception {
        Path file = Files.createTempFile(work, "cpuinfo", "");
        Files.writeString(file, "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: " + flags + "\nbugs\t\t: "
            + "sysret_ss_attrs\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        return file;
    }
}
