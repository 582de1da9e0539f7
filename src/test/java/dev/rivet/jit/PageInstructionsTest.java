package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Decoder;
import dev.rivet.cpu.Insn;
import dev.rivet.cpu.Op;
import dev.rivet.mem.Page;
import org.junit.jupiter.api.Test;

/** A translation's copy of a page decodes as the interpreter does, once per instruction. */
class PageInstructionsTest {
    @Test
    void decodesFullAndCompressedInstructionsAndNoneAcrossTheEndOfThePage() {
        Page page = new Page();
        page.write(0, 4, addi(5, 6, -7));
        page.write(4, 2, 0x0505); // c.addi a0, 1
        page.write(6, 4, add(10, 11, 12));
        page.write(Page.SIZE - 2, 2, addi(5, 5, 1) & 0xffff); // the first half of a 32-bit instruction
        PageInstructions code = PageInstructions.of(page);
        assertThat(code.at(0)).isEqualTo(Decoder.decode(addi(5, 6, -7)));
        assertThat(code.at(4)).isEqualTo(Decoder.decode(0x0505));
        assertThat(Insn.length(code.at(4))).isEqualTo(2);
        assertThat(code.at(6)).isEqualTo(Decoder.decode(add(10, 11, 12)));
        assertThat(Insn.op(code.at(Page.SIZE - 2))).isEqualTo(Op.ILLEGAL);
        for (int off : new int[] {0, 4, 6, Page.SIZE - 2}) {
            assertThat(PageInstructions.decode(page, off)).isEqualTo(code.at(off));
        }
    }

    @Test
    void isACopyOfThePageAsItWasWhenTaken() {
        Page page = new Page();
        page.write(0, 4, addi(5, 6, 1));
        PageInstructions before = PageInstructions.of(page);
        page.write(0, 4, addi(5, 6, 2));
        assertThat(before.at(0)).isEqualTo(Decoder.decode(addi(5, 6, 1)));
        assertThat(PageInstructions.of(page).at(0)).isEqualTo(Decoder.decode(addi(5, 6, 2)));
    }
}
