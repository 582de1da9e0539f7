package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Decoder;
import org.junit.jupiter.api.Test;

/** Which registers the translator knows to hold words (sign-extended 32-bit values), and what it checks. */
class WordValuesTest {
    static final int T0 = 5, T1 = 6, T2 = 7, S0 = 8, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14;

    private static int bits(int... registers) {
        int mask = 0;
        for (int r : registers) mask |= 1 << r;
        return mask;
    }

    private static FlowGraph graph(int[] entries, int... code) {
        PageInstructions page = CodePages.of(code, ecall());
        return FlowGraph.of(Region.build(page, entries, 120));
    }

    private static int after(int insn, int words) {
        return WordValues.after(Decoder.decode(insn), words);
    }

    @Test
    void wordInstructionsLoadsAndSmallResultsMakeWords() {
        for (int insn : new int[] {addw(A0, A1, A2), addiw(A0, A1, 5), sllw(A0, A1, A2), mulw(A0, A1, A2),
                divuw(A0, A1, A2), lui(A0, 0x80000), lw(A0, A1, 0), lhu(A0, A1, 0), lb(A0, A1, 0),
                sltu(A0, A1, A2), slti(A0, A1, 3), addi(A0, 0, -7), andi(A0, A1, 0x7ff), srli(A0, A1, 33),
                srai(A0, A1, 32), cpop(A0, A1), roriw(A0, A1, 3)}) {
            assertThat(after(insn, 1)).as("%08x", insn).isEqualTo(bits(0, A0));
        }
    }

    @Test
    void sixtyFourBitResultsAreNotWords() {
        int all = ~0;
        for (int insn : new int[] {add(A0, A1, A2), addi(A0, A1, 1), ld(A0, A1, 0), lwu(A0, A1, 0),
                slli(A0, A1, 1), srli(A0, A1, 32), srai(A0, A1, 31), mul(A0, A1, A2), auipc(A0, 0),
                jal(A0, 8), sub(A0, A1, A2)}) {
            // Even from words: a 64-bit operation may carry beyond bit 31 (lwu zero-extends).
            assertThat(after(insn, all) & 1 << A0).as("%08x", insn).isZero();
        }
    }

    @Test
    void logicAndCopiesKeepWordsOnlyWhenTheirOperandsAreWords() {
        assertThat(after(xor(A0, A1, A2), bits(0, A1, A2)) & 1 << A0).isNotZero();
        assertThat(after(xor(A0, A1, A2), bits(0, A1)) & 1 << A0).isZero();
        assertThat(after(ori(A0, A1, -1), bits(0, A1)) & 1 << A0).isNotZero();
        assertThat(after(ori(A0, A1, 1), bits(0)) & 1 << A0).isZero();
        assertThat(after(andi(A0, A1, -2), bits(0, A1)) & 1 << A0).isNotZero();
        assertThat(after(andi(A0, A1, -2), bits(0)) & 1 << A0).isZero();
        assertThat(after(addi(A0, A1, 0), bits(0, A1)) & 1 << A0).isNotZero();
        assertThat(after(addi(A0, A1, 0), bits(0)) & 1 << A0).isZero();
        // c.mv expands to an add with x0.
        assertThat(after(add(A0, 0, A1), bits(0, A1)) & 1 << A0).isNotZero();
        assertThat(after(add(A0, A1, 0), bits(0, A1)) & 1 << A0).isNotZero();
        assertThat(after(add(A0, A1, 0), bits(0)) & 1 << A0).isZero();
        // A store writes no register; x0 stays a word.
        assertThat(after(sd(A0, A1, 0), bits(0, A0))).isEqualTo(bits(0, A0));
        assertThat(after(add(0, A1, A2), bits(0))).isEqualTo(bits(0));
    }

    /**
     * sha256's message schedule in small: t1 and t0 take the window along (sext.w), a0 is a new
     * word each trip, and the code before the loop loads the first words. Entered at 0 nothing is
     * known of the registers; at the loop head (also an entry here) the stub checks t0 and a0,
     * which every trip leaves words and a sext.w reads before they are written, but not t1 (written
     * first), a1 (a pointer) nor a2 (read by a sext.w after the loop, and never made a word).
     */
    @Test
    void aLoopEntryChecksTheWordsItsSextsRead() {
        FlowGraph g = graph(new int[] {0, 12},
                addi(T2, 0, 10), lw(T0, A1, 0), lw(A0, A1, 4),                      // 0
                addiw(T1, T0, 0), addiw(T0, A0, 0), lw(A0, A1, 8), addw(A0, A0, T1), // 12: loop head
                addi(A1, A1, 4), addi(T2, T2, -1), bne(T2, 0, -24),
                addiw(A3, A2, 0));                                                // 40
        WordValues w = WordValues.of(g);
        int start = g.indexOf(0), head = g.indexOf(12), after = g.indexOf(40);
        assertThat(w.guards[start]).isZero();
        assertThat(w.guards[head]).isEqualTo(bits(T0, A0));
        assertThat(w.in[start]).isEqualTo(bits(0));
        assertThat(w.in[head] & bits(T0, A0, A1, A2)).isEqualTo(bits(T0, A0));
        assertThat(w.in[after] & bits(T0, T1, A0, A2, T2)).isEqualTo(bits(T0, T1, A0));
    }

    /** Entered only before the loop, the region checks nothing and knows the words from the loads. */
    @Test
    void withoutAnEntryAtTheLoopHeadNothingIsChecked() {
        FlowGraph g = graph(new int[] {0},
                addi(T2, 0, 10), lw(T0, A1, 0), lw(A0, A1, 4),
                addiw(T1, T0, 0), addiw(T0, A0, 0), lw(A0, A1, 8), addw(A0, A0, T1),
                addi(A1, A1, 4), addi(T2, T2, -1), bne(T2, 0, -24));
        WordValues w = WordValues.of(g);
        for (int guard : w.guards) assertThat(guard).isZero();
        assertThat(w.in[g.indexOf(12)] & bits(T0, A0)).isEqualTo(bits(T0, A0));
    }

    /** Code without loops is never checked: a check costs as much as the sext.w it saves. */
    @Test
    void anEntryIntoCodeWithoutLoopsIsNotChecked() {
        FlowGraph g = graph(new int[] {0, 8}, lw(T0, A1, 0), addi(A2, A2, 1), addiw(T1, T0, 0));
        WordValues w = WordValues.of(g);
        int second = g.indexOf(8);
        assertThat(w.guards[second]).isZero();
        assertThat(w.in[second] & bits(T0)).isZero();
    }

    /**
     * sha256's round loop in small: entered before the loop by a jump into its middle, it passes
     * its words along with c.mv (t1 = t0, t0 = a0) and sign-extends one (sext.w a2, t1). The entry
     * checks t1 and the register t1 is copied from, t0; not a1, a pointer the loop steps, nor a3,
     * the bound it only reads.
     */
    @Test
    void anEntryBeforeALoopChecksTheWordsTheLoopCopiesAlong() {
        FlowGraph g = graph(new int[] {0},
                jal(0, 12),                                                // 0
                add(T1, 0, T0), add(T0, 0, A0),                            // 4: loop head (c.mv)
                addiw(A2, T1, 0), lw(A0, A1, 0), addw(A0, A0, A2),         // 12
                addi(A1, A1, 4), bne(A1, A3, -24));
        WordValues w = WordValues.of(g);
        assertThat(w.guards[g.indexOf(0)]).isEqualTo(bits(T0, T1));
        assertThat(w.in[g.indexOf(12)] & bits(T0, T1, A1, A3)).isEqualTo(bits(T0, T1));
        assertThat(w.in[g.indexOf(4)] & bits(T0, A0)).isEqualTo(bits(T0, A0));
    }

    /** A register a loop writes with something else than a word is not checked, nor known. */
    @Test
    void aLoopThatMayWriteANonWordGetsNoCheck() {
        FlowGraph g = graph(new int[] {0},
                jal(0, 8),                                                 // 0
                addi(T1, A0, 0),                                           // 4: loop head
                addiw(A2, T1, 0), ld(A0, A1, 0), addi(A1, A1, 8), bne(A1, A3, -16)); // 8
        WordValues w = WordValues.of(g);
        assertThat(w.guards[g.indexOf(0)]).isZero();
        assertThat(w.in[g.indexOf(8)] & bits(T1)).isZero();
    }
}
