package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The rates --stats derives from the instruction counts sampled during a run. */
class InstructionRateTest {
    private static final long MS = 1_000_000L;

    /**
     * A run that retires nothing for its first 500 ms, then 100 million instructions a second
     * (100 MIPS) for 1.5 s: warm at 100 MIPS, and half a second lost to start-up.
     */
    @Test
    void warmRateAndStartUpCostComeFromTheSamples() {
        InstructionRate rate = new InstructionRate(0);
        for (long t = 20 * MS; t <= 500 * MS; t += 20 * MS) rate.record(0, t);
        for (long t = 520 * MS; t <= 2000 * MS; t += 20 * MS) rate.record((t - 500 * MS) / 10, t);
        String out = print(rate, 150_000_000L, 2000 * MS, true);
        assertThat(out).contains("rivet: warm MIPS: 100.0 ");
        assertThat(out).contains("rivet: start-up and warm-up: 0.50 s at least (at the warm rate the run would take 1.50 s of its 2.00)");
        assertThat(out).contains("rivet: MIPS per 100 ms: 0.0 0.0 0.0 0.0 0.0 100.0 100.0");
    }

    /** A run too short for a warm rate prints none (and no estimate built on it). */
    @Test
    void aShortRunHasNoWarmRate() {
        InstructionRate rate = new InstructionRate(0);
        rate.record(1000, 30 * MS);
        String out = print(rate, 2000, 50 * MS, false);
        assertThat(out).isEmpty();
    }

    private static String print(InstructionRate rate, long total, long end, boolean timeline) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        rate.print(new PrintStream(bytes, true), total, end, timeline);
        return bytes.toString();
    }
}
