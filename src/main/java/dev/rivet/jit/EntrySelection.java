package dev.rivet.jit;

import java.util.ArrayList;
import java.util.Arrays;
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
        int n = graph.size(), root = n;
        int[][] succ = new int[n + 1][];
        for (int b = 0; b < n; b++) succ[b] = graph.successors[b];
        succ[root] = entries.stream().mapToInt(Integer::intValue).toArray();

        // Iterative depth-first search: postorder, and the back edges (to a block on the stack).
        int[] post = new int[n + 1], next = new int[n + 1];
        boolean[] seen = new boolean[n + 1], onStack = new boolean[n + 1];
        List<int[]> backEdges = new ArrayList<>();
        int[] stack = new int[n + 1];
        int depth = 0, count = 0;
        stack[depth++] = root;
        seen[root] = onStack[root] = true;
        int[] order = new int[n + 1];
        while (depth > 0) {
            int u = stack[depth - 1];
            if (next[u] < succ[u].length) {
                int v = succ[u][next[u]++];
                if (!seen[v]) {
                    seen[v] = onStack[v] = true;
                    stack[depth++] = v;
                } else if (onStack[v]) {
                    backEdges.add(new int[] {u, v});
                }
            } else {
                onStack[u] = false;
                depth--;
                post[u] = count;
                order[count++] = u;
            }
        }
        int[] idom = dominators(succ, order, post, count, root);
        for (int[] e : backEdges) {
            if (!dominates(idom, e[1], e[0], root)) return false;
        }
        return true;
    }

    /**
     * Immediate dominators of the blocks reached (Cooper, Harvey and Kennedy's iterative
     * algorithm over reverse postorder); -1 for blocks not reached.
     */
    private static int[] dominators(int[][] succ, int[] order, int[] post, int count, int root) {
        int size = succ.length;
        List<List<Integer>> preds = new ArrayList<>();
        for (int i = 0; i < size; i++) preds.add(new ArrayList<>());
        for (int k = 0; k < count; k++) {
            int u = order[k];
            for (int v : succ[u]) preds.get(v).add(u);
        }
        int[] idom = new int[size];
        Arrays.fill(idom, -1);
        idom[root] = root;
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int k = count - 1; k >= 0; k--) {
                int b = order[k];
                if (b == root) continue;
                int d = -1;
                for (int p : preds.get(b)) {
                    if (idom[p] < 0) continue;
                    d = d < 0 ? p : intersect(idom, post, p, d);
                }
                if (d != idom[b]) {
                    idom[b] = d;
                    changed = true;
                }
            }
        }
        return idom;
    }

    private static int intersect(int[] idom, int[] post, int a, int b) {
        while (a != b) {
            while (post[a] < post[b]) a = idom[a];
            while (post[b] < post[a]) b = idom[b];
        }
        return a;
    }

    private static boolean dominates(int[] idom, int d, int b, int root) {
        for (int x = b; ; x = idom[x]) {
            if (x == d) return true;
            if (x == root) return false;
        }
    }
}
