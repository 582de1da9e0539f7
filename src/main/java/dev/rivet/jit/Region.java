package dev.rivet.jit;

import static dev.rivet.cpu.Op.*;

import dev.rivet.cpu.Insn;
import dev.rivet.mem.Page;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The guest code of one page that a translation covers: basic blocks found by following control
 * flow within the page from the hot entry points, up to an instruction limit. Offsets are byte
 * offsets in the page, so a region is independent of the virtual address the page is mapped at.
 * Where the translation holds the next page too ({@link PageInstructions#next}), control flow is
 * followed into it (offsets from {@link Page#SIZE} on), so that a loop crossing the end of the
 * page stays in one region; its entries are on the first page.
 *
 * <p>Instructions the translator leaves to the interpreter (system instructions, CSR access,
 * fence.i, illegal encodings, an instruction crossing the page end) end a block: translated code
 * exits with pc at them.
 */
final class Region {
    /** How a block ends. */
    enum End {
        /** Falls through to {@link Block#next}: another block, or an exit to the interpreter there. */
        FALL,
        /** A conditional branch (last instruction): taken to {@code target}, else {@link Block#next}. */
        BRANCH,
        /** jal (last instruction) to {@code target}. */
        JAL,
        /** jalr (last instruction): target known only at run time. */
        JALR
    }

    /** A straight-line run of translatable instructions with one entry (its first). */
    static final class Block {
        final int start;
        final List<Long> insns = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        End end = End.FALL;
        /** Offset after the last instruction (the fall-through successor). */
        int next;
        /** Branch or jal target offset (may lie outside the page). */
        long target;
        /** A branch or jump from this block or a later one comes back here (a loop head). */
        boolean loopHead;
        /** Ends in a branch or jump back to a block of the region at or before this one. */
        boolean jumpsBack;

        Block(int start) {
            this.start = start;
        }

        int length() {
            return insns.size();
        }
    }

    /**
     * What the region's code is made from: its entries and its blocks (start and length). Two
     * regions of the same page bytes with the same key translate to the same code.
     */
    String key() {
        StringBuilder k = new StringBuilder().append(entries).append(':');
        for (Block b : blocks.values()) k.append(b.start).append('+').append(b.length()).append(' ');
        return k.toString();
    }

    /** The page offsets of every instruction of the region. */
    BitSet covered() {
        BitSet all = new BitSet(Page.SIZE);
        for (Block b : blocks.values()) for (int off : b.offsets) all.set(off);
        return all;
    }

    final TreeMap<Integer, Block> blocks = new TreeMap<>();
    /**
     * The blocks that can be entered from outside (the requested entries that start a block): the
     * dispatch switch goes only there. Every other block is reached only from inside, so loops
     * keep a single entry and HotSpot can optimize them as loops.
     */
    final java.util.TreeSet<Integer> entries = new java.util.TreeSet<>();
    int instructions;
    /** The instruction limit left out code reachable from the entries. */
    boolean cut;

    /**
     * Finds the blocks reachable from {@code entries} (byte offsets, hottest first) within
     * {@code page}, visiting at most {@code maxInstructions} instructions (see {@link Walk}). Leaders
     * are found first, then blocks are cut at leaders, so a loop head found late does not
     * duplicate the loop body.
     */
    static Region build(PageInstructions page, int[] entries, int maxInstructions) {
        return build(page, entries, maxInstructions, new BitSet());
    }

    /**
     * As {@link #build(PageInstructions, int[], int)}, but control flow reaching one of {@code stops}
     * (byte offsets) that is not among {@code entries} leaves the region there: the dispatcher
     * goes on with the region installed at that start, whose code HotSpot may have compiled already.
     */
    static Region build(PageInstructions page, int[] entries, int maxInstructions, BitSet stops) {
        return of(page, entries, new Walk(page, entries, maxInstructions, stops));
    }

    /** The region of the instructions {@code walk} visited from {@code entries}. */
    private static Region of(PageInstructions page, int[] entries, Walk walk) {
        BitSet leaders = walk.leaders, visited = walk.visited;
        Region r = new Region();
        r.cut = walk.cut;
        for (int l = leaders.nextSetBit(0); l >= 0; l = leaders.nextSetBit(l + 1)) {
            if (!visited.get(l)) continue;
            Block b = new Block(l);
            int off = l;
            while (true) {
                long d = page.at(off);
                b.insns.add(d);
                b.offsets.add(off);
                int op = Insn.op(d);
                b.next = off + Insn.length(d);
                if (isBranch(op) || op == JAL) {
                    b.end = isBranch(op) ? End.BRANCH : End.JAL;
                    b.target = off + (long) Insn.imm(d);
                    break;
                }
                if (op == JALR) {
                    b.end = End.JALR;
                    break;
                }
                off = b.next;
                if (off >= page.size() || leaders.get(off) || !visited.get(off)) break;
            }
            r.blocks.put(l, b);
            r.instructions += b.length();
        }
        for (int e : entries) if (r.blocks.containsKey(e)) r.entries.add(e);
        for (Block b : r.blocks.values()) {
            b.jumpsBack = (b.end == End.BRANCH || b.end == End.JAL) && b.target >= 0 && b.target <= b.start
                    && r.blocks.containsKey((int) b.target);
            if (b.jumpsBack) r.blocks.get((int) b.target).loopHead = true;
        }
        return r;
    }

    /**
     * The instruction limit, at most {@code max}, at which the region of {@code entries} holds no
     * part of a loop without the rest of it: code the region leaves out must not lead back into the
     * region except at an entry. A loop cut in two by the limit leaves its region on every trip
     * and is entered again through the dispatcher, at a start that no region serves. {@code max}
     * when no limit down to half of it gives such a region (a loop larger than the limit).
     */
    static int wholeLoopLimit(PageInstructions page, int[] entries, int max, BitSet stops) {
        if (!new Walk(page, entries, max, stops).cut) return max;
        // The walk visits code in the same order whatever its limit, so the region at a limit is
        // the first that many instructions of the unlimited walk, with the entries a walk so
        // limited makes leaders: one walk serves every limit tried (a region built for each took
        // a fifth of a translation's time in a cold JVM).
        Walk unlimited = new Walk(page, entries, page.size() / 2, stops);
        FlowGraph all = FlowGraph.of(of(page, entries, unlimited));
        BitSet in = new BitSet(Page.SIZE);
        for (int k = 0; k < Math.min(max, unlimited.count); k++) in.set(unlimited.order[k]);
        for (int limit = max; limit >= max / 2; limit--) {
            if (limit < unlimited.count) in.clear(unlimited.order[limit]);
            if (!reentersLeftOutLoop(all, in, unlimited.entriesWithin(limit, in))) return limit;
        }
        return max;
    }

    /**
     * True when code of {@code all} outside {@code in} (the instructions of a region of it) leads
     * into {@code in} other than at one of {@code entries}.
     */
    static boolean reentersLeftOutLoop(FlowGraph all, BitSet in, int[] entries) {
        ArrayDeque<Integer> work = new ArrayDeque<>();
        boolean[] seen = new boolean[all.size()];
        for (int b = 0; b < all.size(); b++) {
            for (int off : all.blocks.get(b).offsets) {
                if (!in.get(off)) {
                    work.add(b);
                    seen[b] = true;
                    break;
                }
            }
        }
        while (!work.isEmpty()) {
            for (int s : all.successors[work.poll()]) {
                int start = all.blocks.get(s).start;
                if (in.get(start)) {
                    if (!isEntry(start, entries)) return true;
                } else if (!seen[s]) {
                    seen[s] = true;
                    work.add(s);
                }
            }
        }
        return false;
    }

    private static boolean isEntry(int offset, int[] entries) {
        for (int e : entries) if (e == offset) return true;
        return false;
    }

    /**
     * Finds which instructions a region takes in. Entries come in priority order, each followed
     * depth-first, so that when the limit cuts the region short, the hottest code and its loops
     * are in; a branch's fall-through is followed before its target (compilers lay out the likely
     * path as the fall-through: a switch's range check, a loop's body). Called functions and the
     * code after a call are left for last unless the interpreter has been there (the entries
     * include every start it counted): a call may be rare (abort on a switch's default) and never
     * return.
     */
    private static final class Walk {
        final PageInstructions page;
        final int max;
        final BitSet leaders = new BitSet(Page.SIZE), visited = new BitSet(Page.SIZE);
        /** Starts already on a work list: each is followed once. */
        final BitSet queued = new BitSet(Page.SIZE);
        final BitSet entered = new BitSet(Page.SIZE);
        final ArrayDeque<Integer> afterCalls = new ArrayDeque<>();
        /** The instructions visited, in the order visited ({@link #count} of them). */
        final int[] order;
        /** Starts served by other regions: the walk does not go past them (see {@link Region#build}). */
        final BitSet stops;
        int count;
        /** The limit stopped the walk before code it had found (a loop may be cut in two). */
        boolean cut;
        /** The entries the walk starts from, in order. */
        final int[] entries;
        /**
         * By entry: the least limit at which a walk makes it a leader (0: none does). The
         * instructions a walk visits are the same at any limit up to where the limit stops it, but
         * the leaders are not: an entry the limit stops the walk before is no leader, so no entry
         * of the region, although the code that leads there may be in.
         */
        final int[] entryLeaderAt;
        /**
         * By slot (offset / 2): 1 + the index of the first entry there (0: none), and by entry: 1 +
         * the index of the next entry at the same offset. So that making a leader does not search
         * the entries: a page of 2000 warm starts made a translation search them 2000 times for
         * each of the 2000 regions tried, and took a minute.
         */
        private final int[] firstEntryAt = new int[Page.SIZE / 2];
        private final int[] nextEntrySame;

        Walk(PageInstructions page, int[] entries, int max, BitSet stops) {
            this.page = page;
            this.max = max;
            this.order = new int[page.size() / 2];
            this.entries = entries;
            this.entryLeaderAt = new int[entries.length];
            this.nextEntrySame = new int[entries.length];
            for (int k = entries.length - 1; k >= 0; k--) {
                nextEntrySame[k] = firstEntryAt[entries[k] >>> 1];
                firstEntryAt[entries[k] >>> 1] = k + 1;
            }
            for (int e : entries) entered.set(e);
            this.stops = (BitSet) stops.clone();
            this.stops.andNot(entered);
            for (int e : entries) {
                if (count >= max) break;
                from(e);
            }
            while (!afterCalls.isEmpty() && count < max) from(afterCalls.removeFirst());
        }

        /** Follows everything reachable from {@code start}, depth-first, unless already queued. */
        private void from(int start) {
            if (queued.get(start)) return;
            lead(start, count + 1);
            queued.set(start);
            ArrayDeque<Integer> work = new ArrayDeque<>();
            work.push(start);
            while (!work.isEmpty() && count < max) follow(work.pop(), work);
            for (int w : work) if (!visited.get(w)) cut = true;
        }

        /** Visits straight-line code from {@code off} to its first branch or jump, queueing successors. */
        private void follow(int off, ArrayDeque<Integer> work) {
            int end = page.size();
            while (off < end && !visited.get(off) && !stops.get(off) && count < max) {
                long d = page.at(off);
                if (!translatable(d)) break;
                visited.set(off);
                order[count++] = off;
                int op = Insn.op(d);
                int next = off + Insn.length(d);
                boolean call = (op == JAL || op == JALR) && Insn.rd(d) != 0;
                // The target first, the fall-through last: the work list is a stack.
                if (isBranch(op) || op == JAL) {
                    long target = off + (long) Insn.imm(d);
                    if (target >= 0 && target < end) successor((int) target, call, work);
                }
                if ((isBranch(op) || call) && next < end) successor(next, call, work);
                if (isBranch(op) || op == JAL || op == JALR) return;
                off = next;
            }
            if (count >= max && off < end && !visited.get(off) && !stops.get(off)) cut = true;
        }

        /** Makes {@code off} a leader, as a walk limited to {@code limit} instructions or more also would. */
        private void lead(int off, int limit) {
            if (!leaders.get(off) && entered.get(off)) {
                for (int k = firstEntryAt[off >>> 1]; k != 0; k = nextEntrySame[k - 1]) entryLeaderAt[k - 1] = limit;
            }
            leaders.set(off);
        }

        /**
         * Those of the entries that the region of this walk's first {@code limit} instructions
         * ({@code in}) has: the leaders a walk limited so makes among them.
         */
        int[] entriesWithin(int limit, BitSet in) {
            int[] within = new int[entries.length];
            int n = 0;
            for (int k = 0; k < entries.length; k++) {
                int at = entryLeaderAt[k];
                if (at != 0 && at <= limit && in.get(entries[k])) within[n++] = entries[k];
            }
            return java.util.Arrays.copyOf(within, n);
        }

        /** A block start: followed now, or after every entry for a call's target or return point not entered yet. */
        private void successor(int off, boolean ofCall, ArrayDeque<Integer> work) {
            lead(off, count);
            if (queued.get(off) || stops.get(off)) return;
            if (ofCall && !entered.get(off)) {
                afterCalls.addLast(off);
            } else {
                queued.set(off);
                work.push(off);
            }
        }
    }

    static boolean isBranch(int op) {
        return op >= BEQ && op <= BGEU;
    }

    /** fflags, frm, fcsr (unprivileged spec, "F" chapter): the CSRs that floating-point code uses. */
    static boolean isFloatCsr(int csr) {
        return csr >= 1 && csr <= 3;
    }

    /** Instructions the translator handles; the rest end a block and run in the interpreter. */
    static boolean translatable(long d) {
        return switch (Insn.op(d)) {
            case CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> isFloatCsr(Insn.imm(d) & 0xfff);
            case UNDECODED, ILLEGAL, ECALL, EBREAK, FENCE_I, MRET, SRET, WFI, SFENCE_VMA -> false;
            default -> Insn.op(d) < COUNT;
        };
    }
}
