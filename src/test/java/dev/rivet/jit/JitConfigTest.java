package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The translator's default settings for the two front ends. */
class JitConfigTest {
    /** A boot translates code entered ten times as often as a process does (see Config.forMachines). */
    @Test
    void machinesTranslateAtAHigherThresholdThanProcesses() {
        assumeTrue(System.getProperty("rivet.jit.threshold") == null, "the defaults, unless set on the command line");
        assertThat(Jit.Config.defaults().threshold()).isEqualTo(3000);
        assertThat(Jit.Config.forMachines().threshold()).isEqualTo(30000);
        assertThat(Jit.Config.forMachines().background()).isTrue();
    }

    /** -Drivet.jit.threshold sets both front ends' threshold. */
    @Test
    void thePropertySetsBothThresholds() {
        String before = System.getProperty("rivet.jit.threshold");
        System.setProperty("rivet.jit.threshold", "1234");
        try {
            assertThat(Jit.Config.defaults().threshold()).isEqualTo(1234);
            assertThat(Jit.Config.forMachines().threshold()).isEqualTo(1234);
        } finally {
            if (before == null) System.clearProperty("rivet.jit.threshold");
            else System.setProperty("rivet.jit.threshold", before);
        }
    }
}
