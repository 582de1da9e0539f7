package dev.rivet.jit;

import java.util.Arrays;

/**
 * Where the budget is checked, and against how many instructions. At every loop head (the target
 * of a backward branch) the region checks the most instructions it can run from there before it
 * reaches the next loop head or leaves; if the budget cannot cover them, it leaves at the head and
 * the interpreter runs the rest of the budget, so the slice still ends at exactly the budget. Every
 * cycle passes through a loop head, so those paths are finite. Checking once per loop trip rather
 * than per block keeps loops free of exits HotSpot would otherwise have to keep.
 *
 * <p>Entering the region needs one check only, of the longest such path from any of its entries
 * ({@link #entryReach}): the dispatcher makes it before it calls the region, and the region's
 * dispatch switch before it follows a jalr to an entry. (An entry that is also a loop head keeps
 * its loop's check: entered past it, the loop would have a second entry, which HotSpot does not
 * optimize.) A check per entry would be one more place for HotSpot to find its exit never taken
 * and compile it as a trap: where the budget first ran out at an entry once the region was
 * compiled (once in hundreds of thousands of instructions), HotSpot threw the region's code away
 * and compiled it again (sha256: seven times in one run).
 */
final class BudgetChecks {
    /** By block index: the instructions to check the budget for at its start, 0 where it is not checked. */
    final int[] atLoopHead;
    /** The budget a run needs to be entered at any entry: the most instructions up to a loop head or an exit. */
    final int entryReach;

    private BudgetChecks(int[] atLoopHead, int entryReach) {
        this.atLoopHead = atLoopHead;
        this.entryReach = entryReach;
    }

    static BudgetChecks of(FlowGraph graph) {
        int count = graph.size();
        int[] longest = new int[count], checks = new int[count];
        Arrays.fill(longest, -1);
        int entryReach = 0;
        for (int b = 0; b < count; b++) {
            if (checked(graph, b)) checks[b] = longestFrom(graph, b, longest);
            if (graph.isEntry(b)) entryReach = Math.max(entryReach, longestFrom(graph, b, longest));
        }
        return new BudgetChecks(checks, entryReach);
    }

    private static boolean checked(FlowGraph graph, int b) {
        return graph.blocks.get(b).loopHead;
    }

    /** Instructions on the longest path from block {@code b} up to (not into) a loop head or an exit. */
    private static int longestFrom(FlowGraph graph, int b, int[] memo) {
        if (memo[b] >= 0) return memo[b];
        int most = 0;
        for (int s : graph.successors[b]) {
            if (!checked(graph, s)) most = Math.max(most, longestFrom(graph, s, memo));
        }
        return memo[b] = graph.blocks.get(b).length() + most;
    }
}
