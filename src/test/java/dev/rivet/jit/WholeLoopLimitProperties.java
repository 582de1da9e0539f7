package dev.rivet.jit;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Region#wholeLoopLimit} takes every limit it tries from one walk of the code: on random
 * code (loops, branches both ways, calls, returns, instructions left to the interpreter) it
 * returns what building the region at each limit in turn returns, the way it was computed before
 * (the test for a region that leaves part of a loop out is the same in both).
 */
class WholeLoopLimitProperties {
    private static final int RA = 1, T0 = 5, T1 = 6, A0 = 10;

    @Property(tries = 400)
    void oneWalkGivesWhatARegionPerLimitGives(@ForAll("programs") int[] code, @ForAll("entries") List<Integer> entrySlots,
            @ForAll @IntRange(min = 2, max = 60) int max, @ForAll("entries") List<Integer> stopSlots) {
        PageInstructions page = CodePages.of(code);
        int[] entries = entrySlots.stream().mapToInt(s -> 4 * (s % code.length)).distinct().toArray();
        BitSet stops = new BitSet(Page.SIZE);
        for (int s : stopSlots) stops.set(4 * (s % code.length));
        assertThat(Region.wholeLoopLimit(page, entries, max, stops)).isEqualTo(regionPerLimit(page, entries, max, stops));
    }

    @Provide
    Arbitrary<int[]> programs() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(-16, 16))
                .as(WholeLoopLimitProperties::instruction).list().ofMinSize(4).ofMaxSize(120)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    @Provide
    Arbitrary<List<Integer>> entries() {
        return Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(3);
    }

    /** One instruction: mostly arithmetic, and branches, jumps, calls and returns by {@code words} words. */
    private static int instruction(int kind, int words) {
        int offset = 4 * (words == 0 ? 1 : words);
        return switch (kind) {
            case 0, 1, 2 -> addi(A0, A0, kind + 1);
            case 3 -> add(T0, T0, T1);
            case 4 -> blt(T0, T1, offset);
            case 5 -> bne(T0, 0, offset);
            case 6 -> jal(0, offset);
            case 7 -> jal(RA, offset);
            case 8 -> jalr(0, RA, 0);
            default -> ecall();
        };
    }

    /** The limit as computed before: a region built at each limit from {@code max} down. */
    private static int regionPerLimit(PageInstructions page, int[] entries, int max, BitSet stops) {
        Region limited = Region.build(page, entries, max, stops);
        if (!limited.cut) return max;
        FlowGraph all = FlowGraph.of(Region.build(page, entries, Page.SIZE / 2, stops));
        for (int limit = max; limit >= max / 2; limit--) {
            if (limit < max) limited = Region.build(page, entries, limit, stops);
            if (!reenters(all, limited)) return limit;
        }
        return max;
    }

    private static boolean reenters(FlowGraph all, Region part) {
        return Region.reentersLeftOutLoop(all, part.covered(), part.entries.stream().mapToInt(Integer::intValue).toArray());
    }
}
