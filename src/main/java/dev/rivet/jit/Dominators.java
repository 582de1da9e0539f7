package dev.rivet.jit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A depth-first search of a control-flow graph from a root, with the edges it finds going back to
 * a node on its stack and the immediate dominators of the nodes it reaches (Cooper, Harvey and
 * Kennedy's iterative algorithm over reverse postorder). A back edge whose target dominates its
 * source closes a natural loop; one whose target does not makes the graph irreducible.
 */
final class Dominators {
    /** Edges source → target to a node on the search's stack, as {source, target}. */
    final List<int[]> backEdges = new ArrayList<>();
    /** Immediate dominator by node; the root's is itself, -1 for nodes not reached. */
    final int[] idom;
    private final int root;

    /**
     * Searches the graph of {@code successors} (by node) from a root added as node
     * {@code successors.length}, whose successors are {@code entries}.
     */
    Dominators(int[][] successors, int[] entries) {
        int n = successors.length + 1;
        root = n - 1;
        int[][] succ = Arrays.copyOf(successors, n);
        succ[root] = entries;
        int[] post = new int[n], next = new int[n], order = new int[n], stack = new int[n];
        boolean[] seen = new boolean[n], onStack = new boolean[n];
        int depth = 0, count = 0;
        stack[depth++] = root;
        seen[root] = onStack[root] = true;
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
        idom = immediate(succ, order, post, count, root);
    }

    /** True when every path from the root to {@code b} passes {@code d}. */
    boolean dominates(int d, int b) {
        if (idom[b] < 0) return false;
        for (int x = b; ; x = idom[x]) {
            if (x == d) return true;
            if (x == root) return false;
        }
    }

    private static int[] immediate(int[][] succ, int[] order, int[] post, int count, int root) {
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
}
