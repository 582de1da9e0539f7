package dev.rivet.jit;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses which of a region's entries its dispatch switch may jump to, so that every loop of the
 * method keeps a single entry (a reducible control-flow graph). An entry in the middle of a loop
 * (the head of an inner loop, where a budget exit resumes; a return point inside a loop) gives
 * that loop a second way in; HotSpot does not optimize such an irreducible loop as a loop: it
 * estimates its blocks as cold and keeps the loop's values in stack slots. Entries are taken in
 * priority order; one that would make a loop irreducible is left out, to be translated as a
 * region of its own (from which its loops are entered at one place).
 */
final class EntrySelection {
    private EntrySelection() {}

    /**
     * The entries of {@code wanted} (priority order; those that start a block of the region) that
     * keep the graph reducible together with the ones chosen before them, and those left out.
     */
    record Choice(List<Integer> kept, List<Integer> left) {}

    static Choice choose(FlowGraph graph, int[] wanted) {
        List<Integer> kept = new ArrayList<>(), left = new ArrayList<>();
        for (int e : wanted) {
            int block = graph.indexOf(e);
            if (block < 0 || kept.contains(block) || left.contains(e)) continue;
            kept.add(block);
            // The first entry stays whatever the guest code is like (its own loops may be irreducible).
            if (kept.size() > 1 && !reducible(graph, kept)) {
                kept.removeLast();
                left.add(e);
            }
        }
        List<Integer> keptOffsets = new ArrayList<>();
        for (int b : kept) keptOffsets.add(graph.blocks.get(b).start);
        return new Choice(keptOffsets, left);
    }

    /**
     * True when every cycle reachable from the entries has one block that dominates it: every
     * edge that a depth-first search finds going back to a block on its stack goes to a dominator
     * of its source. Jumps through the dispatch switch (jalr) go to the root, which dominates all.
     */
    static boolean reducible(FlowGraph graph, List<Integer> entries) {
        Dominators dom = new Dominators(graph.successors, Ints.of(entries));
        for (int[] e : dom.backEdges) {
            if (!dom.dominates(e[1], e[0])) return false;
        }
        return true;
    }
}
