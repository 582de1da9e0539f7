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
        assertThat(Jit.Config.defaults().threshold()).isEqualTo(3000);
        assertThat(Jit.Config.defaults().userThreshold()).isEqualTo(3000);
        assertThat(Jit.Config.forMachines().threshold()).isEqualTo(30000);
        assertThat(Jit.Config.forMachines().userThreshold()).isEqualTo(3000);
        assertThat(Jit.Config.forMachines().background()).isTrue();
        // Stream slots for programs, not machines (their TLBs are flushed and refilled too often).
        assertThat(Jit.Config.defaults().streams()).isTrue();
        assertThat(Jit.Config.forMachines().streams()).isFalse();
        assertThat(Jit.Config.eager().streams()).isTrue();
        // Covering translations for programs and (of their pages of user code) machines; lock-step
        // runs merge each translation.
        assumeTrue(System.getProperty("rivet.jit.cover") == null, "the defaults, unless set on the command line");
        assertThat(Jit.Config.defaults().cover()).isTrue();
        assertThat(Jit.Config.forMachines().cover()).isTrue();
        assertThat(Jit.Config.eager().cover()).isFalse();
    }

    /** The five-part constructor (tests, tools) uses one threshold for all code. */
    @Test
    void oneThresholdForAllCode() {
        Jit.Config c = new Jit.Config(20, false, 4096, 120, false);
        assertThat(c.threshold()).isEqualTo(20);
        assertThat(c.userThreshold()).isEqualTo(20);
    }

    /** -Drivet.jit.threshold sets every threshold of both front ends. */
    @Test
    void thePropertySetsBothThresholds() {
        String before = System.getProperty("rivet.jit.threshold");
        System.setProperty("rivet.jit.threshold", "1234");
        try {
            assertThat(Jit.Config.defaults().threshold()).isEqualTo(1234);
            assertThat(Jit.Config.forMachines().threshold()).isEqualTo(1234);
            assertThat(Jit.Config.forMachines().userThreshold()).isEqualTo(1234);
        } finally {
            if (before == null) System.clearProperty("rivet.jit.threshold");
            else System.setProperty("rivet.jit.threshold", before);
        }
    }
}
