package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rotated loop (entered by a jump to its condition) whose hot head the translator serves: the
 * region it makes holds the whole loop, so that the loop's trips stay inside one region.
 */
class LoopWayInTest {
    private static final int T1 = 6, T2 = 7, A0 = 10;
    private static final int BODY = 50;

    /** The loop's head and condition (page offsets), and the page's code after its translation. */
    private record TranslatedLoop(int head, int cond, PageCode code) {
        /** The region the dispatcher enters at {@code offset}, or null. */
        CompiledRegion enteredAt(int offset) {
            return code.entries[offset >>> 1];
        }
    }

    /**
     * 0: j COND (the loop's way in); 4: HEAD, BODY instructions; COND: blt back to HEAD; then a
     * jump to {@code after} instructions of straight code: with many, a region entered at COND
     * walks the code after the loop first, spends its instruction limit there and leaves the
     * loop's body out. Translated with the head hot and the way in entered as often as the loop ran.
     */
    private static TranslatedLoop translatedLoop(int after) {
        List<Integer> words = new ArrayList<>();
        int head = 4, cond = head + 4 * (BODY + 1);
        words.add(jal(0, cond));
        for (int i = 0; i < BODY; i++) words.add(addi(A0, A0, 1));
        words.add(addi(T1, T1, 1));
        words.add(blt(T1, T2, head - cond));       // COND: back to HEAD
        words.add(jal(0, 8));                       // out of the loop, over one instruction
        words.add(ecall());
        for (int i = 0; i < after; i++) words.add(addi(A0, A0, 2));
        words.add(ecall());
        Page page = new Page();
        for (int i = 0; i < words.size(); i++) page.write(4 * i, 4, words.get(i));

        Object version = new long[Page.SIZE / 2];   // the decoded slots the CPU keeps with a code page
        page.codeCache = version;
        PageCode code = new PageCode(page, version);
        code.userCode = true;
        for (int i = 0; i < 2000; i++) code.count(head >>> 1, 65535);   // the back edges' target: hot
        code.wanted.set(head);
        for (int i = 0; i < 60; i++) code.count(cond >>> 1, 65535);     // the jump into the loop
        JitStats stats = new JitStats();
        new PageTranslator(JitConfig.defaults(), stats, new CodeCache(4096, stats)).translate(code);
        assertThat(stats.failed()).isZero();
        return new TranslatedLoop(head, cond, code);
    }

    @Test
    void aLoopIsEnteredAtItsWayInWhenARegionThereHoldsIt() {
        TranslatedLoop loop = translatedLoop(10);
        CompiledRegion serving = loop.enteredAt(loop.cond());
        assertThat(serving).as("a region is entered at the way in").isNotNull();
        assertThat(serving.covered.get(loop.head())).as("and holds the loop's head").isTrue();
        assertThat(serving.covered.get(loop.head() + 4 * (BODY - 1))).as("and its body").isTrue();
    }

    @Test
    void aLoopWhoseWayInCannotHoldItIsEnteredAtItsHead() {
        TranslatedLoop loop = translatedLoop(110);
        CompiledRegion serving = loop.enteredAt(loop.head());
        assertThat(serving).as("a region serves the loop's head").isNotNull();
        assertThat(serving.covered.get(loop.cond())).as("the loop's condition is in the head's region").isTrue();
        assertThat(serving.covered.get(loop.head() + 4 * (BODY - 1))).as("so is the end of its body").isTrue();
    }
}
