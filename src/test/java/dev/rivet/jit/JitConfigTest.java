package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The translator's default settings for the two front ends. */
class JitConfigTest {
    /**
     * A machine translates its kernel's code once entered ten times as often as a process's code,
     * and its user programs' code as a process's (see Config.forMachines).
     */
    @Test
    void machinesTranslateKernelCodeAtAHigherThreshold() {
        assumeTrue(System.getProperty("rivet.jit.threshold") == null, "the defaults, unless set on the command line");
        assertThat(JitConfig.defaults().threshold()).isEqualTo(3000);
        assertThat(JitConfig.defaults().userThreshold()).isEqualTo(3000);
        assertThat(JitConfig.forMachines().threshold()).isEqualTo(30000);
        assertThat(JitConfig.forMachines().userThreshold()).isEqualTo(3000);
        assertThat(JitConfig.forMachines().background()).isTrue();
        // Stream slots for programs, not machines (their TLBs are flushed and refilled too often).
        assertThat(JitConfig.defaults().streams()).isTrue();
        assertThat(JitConfig.forMachines().streams()).isFalse();
        assertThat(JitConfig.eager().streams()).isTrue();
        // Covering translations for programs and (of their pages of user code) machines; lock-step
        // runs merge each translation.
        assumeTrue(System.getProperty("rivet.jit.cover") == null, "the defaults, unless set on the command line");
        assertThat(JitConfig.defaults().cover()).isTrue();
        assertThat(JitConfig.forMachines().cover()).isTrue();
        assertThat(JitConfig.eager().cover()).isFalse();
    }

    /** The five-part constructor (tests, tools) uses one threshold for all code. */
    @Test
    void oneThresholdForAllCode() {
        JitConfig c = new JitConfig(20, false, 4096, 120, false);
        assertThat(c.threshold()).isEqualTo(20);
        assertThat(c.userThreshold()).isEqualTo(20);
    }

    /** -Drivet.jit.threshold sets every threshold of both front ends. */
    @Test
    void thePropertySetsBothThresholds() {
        String before = System.getProperty("rivet.jit.threshold");
        System.setProperty("rivet.jit.threshold", "1234");
        try {
            assertThat(JitConfig.defaults().threshold()).isEqualTo(1234);
            assertThat(JitConfig.forMachines().threshold()).isEqualTo(1234);
            assertThat(JitConfig.forMachines().userThreshold()).isEqualTo(1234);
        } finally {
            if (before == null) System.clearProperty("rivet.jit.threshold");
            else System.setProperty("rivet.jit.threshold", before);
        }
    }

    /**
     * A program's threshold rises with the translations installed so far: a few hot loops are
     * translated at the base, a language runtime's lukewarm code at several times it.
     */
    @Test
    void aProgramsThresholdRisesWithTheCodeItHasTranslated() {
        assumeTrue(System.getProperty("rivet.jit.thresholdStep") == null, "the default step, unless set on the command line");
        assertThat(Jit.programThreshold(3000, 0)).isEqualTo(3000);
        assertThat(Jit.programThreshold(3000, 5)).isEqualTo(3300);
        assertThat(Jit.programThreshold(3000, 50)).isEqualTo(6000);
        assertThat(Jit.programThreshold(3000, 450)).isEqualTo(30000);
        assertThat(Jit.programThreshold(3000, 1_000_000)).as("a count holds 16 bits").isEqualTo(65535);
    }
}
