package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Asm;
import dev.rivet.cpu.Decoder;
import org.junit.jupiter.api.Test;

/** Which ors of a block complete a 32-bit rotate. */
class WordRotatesTest {
    static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13;
    final WordRotates rotates = new WordRotates();

    void run(int... insns) {
        for (int i : insns) rotates.after(Decoder.decode(i));
    }

    @Test
    void shiftsOfOneRegisterByAmountsAddingUpTo32MakeARotate() {
        run(Asm.srliw(A1, A0, 7), Asm.slliw(A2, A0, 25));
        assertThat(rotates.rotate(A1, A2)).isEqualTo(7 | A0 << 5);
        assertThat(rotates.rotate(A2, A1)).isEqualTo(7 | A0 << 5);
    }

    @Test
    void notARotateWhenTheSourceChangedOrTheAmountsOrDirectionsDoNotFit() {
        run(Asm.srliw(A1, A0, 7), Asm.slliw(A2, A0, 25), Asm.addi(A0, A0, 1));
        assertThat(rotates.rotate(A1, A2)).isEqualTo(-1);
        run(Asm.srliw(A1, A0, 7), Asm.slliw(A2, A0, 24));
        assertThat(rotates.rotate(A1, A2)).isEqualTo(-1);
        run(Asm.srliw(A1, A0, 16), Asm.srliw(A2, A0, 16));
        assertThat(rotates.rotate(A1, A2)).isEqualTo(-1);
        run(Asm.srliw(A1, A0, 7), Asm.slliw(A2, A3, 25));
        assertThat(rotates.rotate(A1, A2)).isEqualTo(-1);
        run(Asm.srliw(A1, A0, 7), Asm.slliw(A2, A0, 25), Asm.addi(A2, A2, 0));
        assertThat(rotates.rotate(A1, A2)).isEqualTo(-1);
        run(Asm.srliw(A0, A0, 7), Asm.slliw(A2, A0, 25)); // the first shift overwrote its source
        assertThat(rotates.rotate(A0, A2)).isEqualTo(-1);
    }

    @Test
    void aBlockStartForgetsTheShifts() {
        run(Asm.srliw(A1, A0, 7), Asm.slliw(A2, A0, 25));
        rotates.clear();
        assertThat(rotates.rotate(A1, A2)).isEqualTo(-1);
    }
}
