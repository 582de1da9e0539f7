package dev.rivet.jit;

import java.util.Arrays;

/**
 * Where the budget is checked, and against how many instructions: at every block that can be
 * entered from outside (dispatch) or from a backward branch (a loop head), the most
 * instructions the region can run from there before it reaches another such block or leaves.
 * Every cycle passes through a loop head, so those paths are finite; if the budget cannot cover
 * one, the region leaves at the block and the interpreter runs the rest of the budget, so the
 * slice still ends at exactly the budget. Checking once per loop trip rather than per block keeps
 * loops free of exits HotSpot would otherwise have to keep.
 */
final class BudgetChecks {
    private BudgetChecks() {}

    /** By block index: the instructions to check the budget for at its start, 0 where it is not checked. */
    static int[] of(FlowGraph graph) {
        int count = graph.size();
        int[] longest = new int[count], checks = new int[count];
        Arrays.fill(longest, -1);
        for (int b = 0; b < count; b++) {
            if (checked(graph, b)) checks[b] = longestFrom(graph, b, longest);
        }
        return checks;
    }

    /** Blocks entered from outside the region or by a backward branch: where the budget is checked. */
    private static boolean checked(FlowGraph graph, int b) {
        return graph.blocks.get(b).loopHead || graph.isEntry(b);
    }

    /** Instructions on the longest path from block {@code b} up to (not into) a checked block or an exit. */
    private static int longestFrom(FlowGraph graph, int b, int[] memo) {
        if (memo[b] >= 0) return memo[b];
        int most = 0;
        for (int s : graph.successors[b]) {
            if (!checked(graph, s)) most = Math.max(most, longestFrom(graph, s, memo));
        }
        return memo[b] = graph.blocks.get(b).length() + most;
    }
}
