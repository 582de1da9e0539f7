package dev.rivet.mem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ram.release: a dropped page holds no memory and reads as zeros when touched again. */
class RamReleaseTest {
    @Test
    void releasedPagesStopBeingResidentAndComeBackZeroed() {
        Ram ram = new Ram(0x8000_0000L, 1 << 20);
        ram.write(0x8000_1000L, new byte[] {1, 2, 3});
        ram.write(0x8000_3000L, new byte[] {4});
        assertThat(ram.residentPages()).isEqualTo(2);
        Page old = ram.page(0x8000_1000L);
        old.codeCache = new Object();

        assertThat(ram.release(0x8000_1234L)).isTrue();
        assertThat(old.codeCache).as("decoded code dropped with the page").isNull();
        assertThat(ram.residentPages()).isEqualTo(1);
        assertThat(ram.release(0x8000_1000L)).as("already gone").isFalse();
        assertThat(ram.release(0x7000_0000L)).as("outside RAM").isFalse();
        assertThat(ram.read(0x8000_1000L, 3)).containsExactly(0, 0, 0);
        assertThat(ram.read(0x8000_3000L, 1)).containsExactly(4);
    }
}
