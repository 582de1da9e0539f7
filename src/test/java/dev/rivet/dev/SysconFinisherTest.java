package dev.rivet.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SiFive test finisher (QEMU hw/misc/sifive_test.c). */
class SysconFinisherTest {
    final List<String> events = new ArrayList<>();
    final SysconFinisher test = new SysconFinisher(new PowerControl() {
        @Override
        public void poweroff() {
            events.add("poweroff");
        }

        @Override
        public void reset() {
            events.add("reset");
        }

        @Override
        public void fail(int code) {
            events.add("fail " + code);
        }
    });

    @Test
    void passResetAndFailReachTheBoard() {
        test.write(0, 4, 0x5555);
        test.write(0, 4, 0x7777);
        test.write(0, 4, 42 << 16 | 0x3333);
        test.write(0, 4, 0xffff_3333L);
        assertThat(events).containsExactly("poweroff", "reset", "fail 42", "fail 65535");
    }

    @Test
    void otherValuesAndOffsetsAreIgnoredAndReadsAreZero() {
        test.write(0, 4, 0x1234);
        test.write(4, 4, 0x5555);
        test.write(0, 4, 0x1_5556);
        assertThat(events).isEmpty();
        assertThat(test.read(0, 4)).isZero();
    }

    @Test
    void aHalfwordWriteCarriesOnlyTheStatus() {
        test.write(0, 2, 0x7_5555); // bits above the access size are not written
        test.write(0, 2, 0x3333);
        assertThat(events).containsExactly("poweroff", "fail 0");
    }
}
