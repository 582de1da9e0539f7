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

    /**
     * 0: j COND (the loop's way in); 4: HEAD, BODY instructions; COND: blt back to HEAD; then a
     * jump to {@code after} instructions of straight code: with many, a region entered at COND
     * walks the code after the loop first, spends its instruction limit there and leaves the
     * loop's body out.
     */
    private static Page rotatedLoopThen(int after, List<Integer> offsets) {
        List<Integer> words = new ArrayList<>();
        int cond = 4 + 4 * (BODY + 1);
        words.add(jal(0, cond));
        for (int i = 0; i < BODY; i++) words.add(addi(A0, A0, 1));
        words.add(addi(T1, T1, 1));
        words.add(blt(T1, T2, 4 - cond));          // COND: back to HEAD
        words.add(jal(0, 8));                       // out of the loop, over one instruction
        words.add(ecall());
        for (int i = 0; i < after; i++) words.add(addi(A0, A0, 2));
        words.add(ecall());
        offsets.add(4);
        offsets.add(cond);
        Page page = new Page();
        for (int i = 0; i < words.size(); i++) page.write(4 * i, 4, words.get(i));
        return page;
    }

    /** Translates the page with its loop's head hot and its way in entered as often as the loop ran. */
    private static PageCode translated(Page page, int head, int cond) {
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
        return code;
    }

    @Test
    void aLoopIsEnteredAtItsWayInWhenARegionThereHoldsIt() {
        List<Integer> offsets = new ArrayList<>();
        Page page = rotatedLoopThen(10, offsets);
        int head = offsets.get(0), cond = offsets.get(1);
        PageCode code = translated(page, head, cond);
        CompiledRegion serving = code.entries[cond >>> 1];
        assertThat(serving).as("a region is entered at the way in").isNotNull();
        assertThat(serving.covered.get(head)).as("and holds the loop's head").isTrue();
        assertThat(serving.covered.get(head + 4 * (BODY - 1))).as("and its body").isTrue();
    }

    @Test
    void aLoopWhoseWayInCannotHoldItIsEnteredAtItsHead() {
        List<Integer> offsets = new ArrayList<>();
        Page page = rotatedLoopThen(110, offsets);
        int head = offsets.get(0), cond = offsets.get(1);
        PageCode code = translated(page, head, cond);
        CompiledRegion serving = code.entries[head >>> 1];
        assertThat(serving).as("a region serves the loop's head").isNotNull();
        assertThat(serving.covered.get(cond)).as("the loop's condition is in the head's region").isTrue();
        assertThat(serving.covered.get(head + 4 * (BODY - 1))).as("so is the end of its body").isTrue();
    }
}
