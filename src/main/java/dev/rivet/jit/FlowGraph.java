package dev.rivet.jit;

import dev.rivet.jit.Region.Block;
import dev.rivet.jit.Region.End;
import dev.rivet.mem.Page;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A region's blocks as a control-flow graph, for the analyses that place register loads and
 * stores ({@link Liveness}, {@link WriteBack}): blocks by index in address order, their successors
 * and predecessors inside the region (a jalr has none: it goes through the dispatch switch), and
 * the natural loops.
 */
final class FlowGraph {
    /** A natural loop: the header and every block that reaches the back edge without passing it. */
    record Loop(int header, boolean[] body) {}

    final Region region;
    final List<Block> blocks;
    final int[][] successors;
    final int[][] predecessors;
    final List<Loop> loops = new ArrayList<>();
    /**
     * By block: how many cycles of the graph, nested, pass through it (see {@link #nestCycles}): a
     * measure of how often it runs that does not depend on where the region is entered.
     */
    final int[] cycleDepth;
    /** How many loop nests the region holds: the cycles of its graph that no other cycle passes round. */
    final int loopNests;
    /** By block: which of the {@link #loopNests} it is in (0, 1, ...), or -1 if it is in no loop. */
    final int[] nestOf;
    private final Map<Integer, Integer> index = new HashMap<>();

    private FlowGraph(Region region) {
        this.region = region;
        this.blocks = new ArrayList<>(region.blocks.values());
        int count = blocks.size();
        for (int i = 0; i < count; i++) index.put(blocks.get(i).start, i);
        successors = new int[count][];
        List<List<Integer>> preds = new ArrayList<>();
        for (int i = 0; i < count; i++) preds.add(new ArrayList<>());
        for (int i = 0; i < count; i++) {
            successors[i] = successorsOf(blocks.get(i));
            for (int s : successors[i]) preds.get(s).add(i);
        }
        predecessors = new int[count][];
        for (int i = 0; i < count; i++) predecessors[i] = Ints.of(preds.get(i));
        findLoops();
        cycleDepth = new int[count];
        boolean[] all = new boolean[count];
        java.util.Arrays.fill(all, true);
        nestOf = new int[count];
        java.util.Arrays.fill(nestOf, -1);
        loopNests = nestCycles(all, nestOf);
    }

    static FlowGraph of(Region region) {
        return new FlowGraph(region);
    }

    int size() {
        return blocks.size();
    }

    /** True when no other loop of the graph lies inside {@code loop}. */
    boolean isInnermost(Loop loop) {
        for (Loop other : loops) {
            if (other.header() != loop.header() && loop.body()[other.header()]) return false;
        }
        return true;
    }

    /**
     * The index of the block starting at page offset {@code offset} (on the next page from
     * {@link Page#SIZE} on, see {@link Region}), or -1 if the region has none there.
     */
    int indexOf(long offset) {
        Integer i = offset >= 0 && offset < 2 * Page.SIZE ? index.get((int) offset) : null;
        return i == null ? -1 : i;
    }

    /**
     * The loop nest ({@link #nestOf}) that control from {@code block} reaches first, breadth
     * first: its own if it is in one; -1 if it reaches none.
     */
    int nestReachedFirst(int block) {
        boolean[] seen = new boolean[size()];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        seen[block] = true;
        work.add(block);
        while (!work.isEmpty()) {
            int b = work.poll();
            if (nestOf[b] >= 0) return nestOf[b];
            for (int s : successors[b]) {
                if (!seen[s]) {
                    seen[s] = true;
                    work.add(s);
                }
            }
        }
        return -1;
    }

    /**
     * The page offsets where control enters a loop nest other than {@code kept} from outside it:
     * the nest's blocks that are entries of the region or have a predecessor outside the nest.
     */
    BitSet waysIntoNestsBut(int kept) {
        BitSet ways = new BitSet(Page.SIZE);
        for (int b = 0; b < size(); b++) {
            int nest = nestOf[b];
            if (nest < 0 || nest == kept) continue;
            boolean fromOutside = isEntry(b);
            for (int p : predecessors[b]) fromOutside |= nestOf[p] != nest;
            if (fromOutside) ways.set(blocks.get(b).start);
        }
        return ways;
    }

    boolean isEntry(int block) {
        return region.entries.contains(blocks.get(block).start);
    }

    private int[] successorsOf(Block b) {
        List<Integer> out = new ArrayList<>(2);
        if (b.end == End.FALL || b.end == End.BRANCH) add(out, b.next);
        if (b.end == End.BRANCH || b.end == End.JAL) add(out, b.target);
        return Ints.of(out);
    }

    private void add(List<Integer> out, long offset) {
        int i = indexOf(offset);
        if (i >= 0 && !out.contains(i)) out.add(i);
    }

    /**
     * The natural loops, one per edge back to a header: the header and the blocks that reach the
     * edge without passing the header. Two edges back to one header are two loops, one inside the
     * other where their bodies nest (an inner loop whose head is also where the outer loop comes
     * back, as in a region entered at the inner loop's head), so that the inner one counts as
     * deeper. An edge back is one the depth-first search from the entries finds going to a block
     * on its stack, and it closes a loop when its target dominates its source: a loop compilers rotated
     * (entered by a jump into its middle, its condition at the bottom) has its header where it is
     * entered, not where its backward jump goes. A cycle with no such header (entered at two
     * places) is no loop here; nor is a jump back to code that reaches the jumping block only
     * through a jalr (a switch's case going back to its dispatch), which is no cycle in the graph:
     * control comes round through the dispatch switch, which writes back and reloads.
     */
    private void findLoops() {
        int count = size();
        List<Integer> entries = new ArrayList<>();
        for (int b = 0; b < count; b++) if (isEntry(b)) entries.add(b);
        int[] entryBlocks = Ints.of(entries);
        Dominators dom = new Dominators(successors, entryBlocks);
        for (int[] edge : dom.backEdges) {
            int p = edge[0], h = edge[1];
            if (!dom.dominates(h, p)) continue;
            boolean[] body = new boolean[count];
            body[h] = true;
            ArrayDeque<Integer> work = new ArrayDeque<>();
            if (!body[p]) {
                body[p] = true;
                work.push(p);
            }
            while (!work.isEmpty()) {
                for (int q : predecessors[work.pop()]) {
                    if (!body[q]) {
                        body[q] = true;
                        work.push(q);
                    }
                }
            }
            loops.add(new Loop(h, body));
        }
    }

    /**
     * Counts, for each block of {@code within}, the cycles around it: every strongly connected part
     * of the graph restricted to {@code within} that has a cycle adds one to its blocks, then the
     * same inside it without its first block in address order. Natural loops ({@link #loops}) depend
     * on where the region is entered: a region entered at an inner loop's head sees every loop
     * around it come back through that head, so they are no loops of their own and that head counts
     * no deeper than the code of the outer loops (in matmul's region entered at its innermost loop,
     * a register used there twice ranked below one used in the outer loops). Compiled code starts
     * each loop at its first block in address order (a rotated loop too: its entry jump goes
     * forward into it), so taking that block out of a cycle breaks the cycles of that loop and
     * leaves those of the loops inside it, wherever the region was entered. Returns how many
     * parts with a cycle {@code within} has, and numbers them in {@code partOf} if it is not null.
     */
    private int nestCycles(boolean[] within, int[] partOf) {
        int count = size();
        boolean[] done = new boolean[count];
        int parts = 0;
        for (int b = 0; b < count; b++) {
            if (!within[b] || done[b]) continue;
            boolean[] from = reach(b, within, successors), to = reach(b, within, predecessors);
            boolean[] part = new boolean[count];
            boolean cycle = false;
            for (int c = 0; c < count; c++) {
                part[c] = from[c] && to[c];
                done[c] |= part[c];
                if (part[c] && c != b) cycle = true;
            }
            for (int s : successors[b]) if (s == b) cycle = true;
            if (!cycle) continue;
            for (int c = 0; c < count; c++) {
                if (!part[c]) continue;
                cycleDepth[c]++;
                if (partOf != null) partOf[c] = parts;
            }
            parts++;
            part[b] = false; // b is the part's first block: the lowest index not yet done
            nestCycles(part, null);
        }
        return parts;
    }

    /** The blocks of {@code within} reachable from {@code b} (itself included) along {@code edges}. */
    private static boolean[] reach(int b, boolean[] within, int[][] edges) {
        boolean[] seen = new boolean[within.length];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        seen[b] = true;
        work.push(b);
        while (!work.isEmpty()) {
            for (int s : edges[work.pop()]) {
                if (within[s] && !seen[s]) {
                    seen[s] = true;
                    work.push(s);
                }
            }
        }
        return seen;
    }
}
