package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a translation of a page's code yields, and when an earlier one is used again. */
class TranslatorTest {
    static final int T0 = 5, T1 = 6, A0 = 10, A1 = 11;

    /** sum += i while ++i < n, then an ecall the translator leaves to the interpreter. */
    private static final PageInstructions LOOP = CodePages.of(
            addi(T0, 0, 0),                                    // 0
            add(A0, A0, T0), addi(T0, T0, 1), blt(T0, A1, -8), // 4: loop
            addi(T1, A0, 1),                                   // 16
            ecall());                                          // 20

    @Test
    void aRegionAskedForAgainIsInstalledAgainNotTranslatedAgain() {
        Map<String, Translator.Result> made = new HashMap<>();
        Translator.Result first = Translator.translate(LOOP, new int[] {0}, 120, true, made);
        Translator.Result again = Translator.translate(LOOP, new int[] {0}, 120, true, made);
        assertThat(first.reused()).isFalse();
        assertThat(again.reused()).isTrue();
        assertThat(again.region()).isSameAs(first.region());
        assertThat(again.slots()).containsExactly(first.slots());
    }

    @Test
    void otherEntriesOrAnotherLimitMakeANewRegion() {
        Map<String, Translator.Result> made = new HashMap<>();
        Translator.Result first = Translator.translate(LOOP, new int[] {0}, 120, true, made);
        Translator.Result moreEntries = Translator.translate(LOOP, new int[] {0, 16}, 120, true, made);
        Translator.Result smaller = Translator.translate(LOOP, new int[] {0}, 3, true, made);
        assertThat(moreEntries.reused()).isFalse();
        assertThat(moreEntries.region()).isNotSameAs(first.region());
        assertThat(moreEntries.slots()).containsExactly(0, 8);
        assertThat(smaller.reused()).isFalse();
        assertThat(smaller.region().instructions).isEqualTo(3);
    }

    /** The same starts in another order of priority make another region when the limit cuts it. */
    @Test
    void theSameEntriesInAnotherOrderAreNotTakenForTheSameRegion() {
        Map<String, Translator.Result> made = new HashMap<>();
        Translator.Result loopFirst = Translator.translate(LOOP, new int[] {0, 16}, 3, true, made);
        Translator.Result tailFirst = Translator.translate(LOOP, new int[] {16, 0}, 3, true, made);
        assertThat(loopFirst.slots()).containsExactly(0);
        assertThat(tailFirst.reused()).isFalse();
        assertThat(tailFirst.slots()).containsExactly(0, 8);
    }

    /** A switch's indirect jump lets a region grow larger than one whose jalr only returns. */
    @Test
    void onlyAnIndirectJumpThatIsNoReturnCountsAsASwitch() {
        int a5 = 15, ra = 1, t0 = 5;
        PageInstructions withSwitch = CodePages.of(addi(A0, A0, 1), jalr(0, a5, 0));
        PageInstructions withReturn = CodePages.of(addi(A0, A0, 1), jalr(0, ra, 0));
        PageInstructions withAlternateReturn = CodePages.of(addi(A0, A0, 1), jalr(0, t0, 0));
        PageInstructions withCall = CodePages.of(addi(A0, A0, 1), jalr(ra, a5, 0));
        assertThat(Translator.hasComputedJump(Region.build(withSwitch, new int[] {0}, 120))).isTrue();
        assertThat(Translator.hasComputedJump(Region.build(withReturn, new int[] {0}, 120))).isFalse();
        assertThat(Translator.hasComputedJump(Region.build(withAlternateReturn, new int[] {0}, 120))).isFalse();
        assertThat(Translator.hasComputedJump(Region.build(withCall, new int[] {0}, 120))).isFalse();
        assertThat(Translator.SWITCH_CODE_LIMIT).isGreaterThan(Translator.CODE_LIMIT);
    }

    @Test
    void codeLeftToTheInterpreterMakesNoRegion() {
        assertThat(Translator.translate(LOOP, new int[] {20}, 120, true, new HashMap<>())).isNull();
    }
}
