package dev.rivet.jit;

import dev.rivet.jit.Region.Block;
import dev.rivet.jit.Region.End;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** Block start to the instructions to check the budget for there, for every checked block. */
    static Map<Integer, Integer> of(Region region) {
        Map<Integer, Integer> longest = new HashMap<>();
        Map<Integer, Integer> checks = new HashMap<>();
        for (Block b : region.blocks.values()) {
            if (checked(region, b)) checks.put(b.start, longestFrom(region, b, longest));
        }
        return checks;
    }

    /** Blocks entered from outside the region or by a backward branch: where the budget is checked. */
    private static boolean checked(Region region, Block b) {
        return b.loopHead || region.entries.contains(b.start);
    }

    /** Instructions on the longest path from {@code b} up to (not into) a checked block or an exit. */
    private static int longestFrom(Region region, Block b, Map<Integer, Integer> memo) {
        Integer known = memo.get(b.start);
        if (known != null) return known;
        int most = 0;
        List<Long> successors = new ArrayList<>();
        if (b.end == End.FALL || b.end == End.BRANCH) successors.add((long) b.next);
        if (b.end == End.BRANCH || b.end == End.JAL) successors.add(b.target);
        for (long s : successors) {
            Block next = s >= 0 && s < dev.rivet.mem.Page.SIZE ? region.blocks.get((int) s) : null;
            if (next == null || checked(region, next)) continue;
            most = Math.max(most, longestFrom(region, next, memo));
        }
        int result = b.length() + most;
        memo.put(b.start, result);
        return result;
    }
}
