package dev.rivet.jit;

import dev.rivet.cpu.Insn;
import dev.rivet.cpu.Op;
import dev.rivet.mem.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns the hot code of a page into a loaded {@link CompiledRegion}: finds the region, generates
 * its class, and defines it as a hidden class ({@link RegionLoader}: unloaded with its batch once
 * the code cache and the jump caches let go of the batch's regions). Regions whose
 * method would be too large for HotSpot to compile are retried with fewer instructions.
 */
final class Translator {
    private Translator() {}

    /**
     * HotSpot does not compile methods over 8000 bytecode bytes (HugeMethodLimit), and its C1
     * compiler gives up on large methods full of long values (out of virtual registers) long
     * before that, leaving them to the JVM's own interpreter; larger regions also spill more in
     * C2. 2800 bytes measured best over the benchmarks (sha256 prefers smaller, matmul larger).
     */
    static final int CODE_LIMIT = Integer.getInteger("rivet.jit.bytes", 2800);
    /**
     * The limit for a region with an indirect jump that is not a return (a switch's jump table,
     * an interpreter's dispatch): such a jump to a case outside the region goes back through the
     * dispatcher and its megamorphic call, once per case run, so the region takes in more of the
     * cases. A bytecode interpreter in the guest ran 3-13 % faster with this limit for such
     * regions; code without such jumps (sha256, matmul) was slower when all regions were larger.
     */
    static final int SWITCH_CODE_LIMIT = Integer.getInteger("rivet.jit.switchBytes", 4500);
    /**
     * HotSpot's C2 stops inlining into a method once the method and what it has inlined reach
     * 8000 bytecode bytes (DesiredMethodLimit); the helpers of translated code left as calls then
     * cost a call each and force every live register to the stack around it. Regions are kept
     * under this estimate of their own bytecode plus their helpers'.
     */
    static final int INLINE_LIMIT = 7500;
    private static final java.util.concurrent.atomic.AtomicLong SERIAL = new java.util.concurrent.atomic.AtomicLong();

    static final java.util.concurrent.atomic.LongAdder LOAD_NANOS = new java.util.concurrent.atomic.LongAdder();

    /**
     * A loaded region, the slots (page offset / 2) where it can be entered, and the entries left
     * out because they would have given a loop a second entry (see {@link EntrySelection}).
     */
    record Result(CompiledRegion region, int[] slots, List<Integer> left, boolean reused) {}

    /**
     * Translates the code reachable from {@code entries} (byte offsets, most wanted first); null
     * if there is none (the entries start with instructions left to the interpreter, such as ecall);
     * {@code streams}: see {@link JitConfig#streams}.
     * {@code made}: the regions translated for this version of the page so far, by what they
     * cover ({@link Region#key}); a region that comes out the same again is reused (its class
     * keeps the host code HotSpot compiled for it, where a new class would start its warm-up over).
     */
    static Result translate(PageInstructions page, int[] entries, int maxInstructions, boolean streams, Map<String, Result> made) {
        return translate(page, entries, maxInstructions, streams, made, new java.util.BitSet());
    }

    /** As above; control flow reaching one of {@code stops} leaves the region (see {@link Region#build}). */
    static Result translate(PageInstructions page, int[] entries, int maxInstructions, boolean streams, Map<String, Result> made,
            java.util.BitSet stops) {
        int max = maxInstructions;
        int[] use = entries;
        List<Integer> left = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (true) {
            Region region = Region.build(page, use, max, stops);
            if (region.blocks.isEmpty()) return null;
            // Entries left out are not followed either: the region is walked again without them.
            FlowGraph graph = FlowGraph.of(region);
            EntrySelection.Choice choice = EntrySelection.choose(graph, use);
            if (!choice.left().isEmpty()) {
                left.addAll(choice.left());
                int[] kept = new int[use.length];
                int n = 0;
                for (int e : use) if (!left.contains(e)) kept[n++] = e;
                use = Arrays.copyOf(kept, n);
                continue;
            }
            String key = region.key();
            Result earlier = made.get(key);
            if (earlier != null) return new Result(earlier.region(), earlier.slots(), left, true);
            keys.add(key);
            String name = "dev.rivet.jit.Translated" + (RegionLoader.VISIBLE ? "$" + SERIAL.incrementAndGet() : "");
            RegionCompiler.Output out = RegionCompiler.compile(graph, name, streams);
            int inlined = out.codeLength() + helperBytes(region);
            boolean computedJump = hasComputedJump(region);
            int codeLimit = computedJump ? SWITCH_CODE_LIMIT : CODE_LIMIT;
            if (out.codeLength() > codeLimit || inlined > INLINE_LIMIT) {
                if (max <= 8) throw new IllegalStateException("region too large even at " + max + " instructions");
                // Shrink in proportion to the overshoot (and a little more), not by half: the
                // region keeps as much of the hot code as the limits allow.
                double over = Math.max((double) out.codeLength() / codeLimit, (double) inlined / INLINE_LIMIT);
                max = Math.min(region.instructions - 1, (int) (region.instructions * 0.9 / over));
                continue;
            }
            dump(out.classBytes());
            long t1 = System.nanoTime();
            CompiledRegion r = RegionLoader.load(out.classBytes());
            LOAD_NANOS.add(System.nanoTime() - t1);
            r.trapPc = out.trapPc();
            r.trapUndo = out.trapUndo();
            r.instructions = region.instructions;
            r.covered = region.covered();
            // An instruction at the last halfword of the page may end on the next one.
            if (r.covered.nextSetBit(Page.SIZE - 2) >= 0) {
                r.nextPage = page.next;
                r.nextVersion = page.nextVersion;
            }
            r.codeLength = out.codeLength();
            r.entryReach = out.entryReach();
            r.computedJump = computedJump;
            int[] slots = Ints.of(region.entries);
            for (int i = 0; i < slots.length; i++) slots[i] >>>= 1;
            Result result = new Result(r, slots, left, false);
            for (String k : keys) made.put(k, result);
            return result;
        }
    }

    /**
     * The bytecode HotSpot inlines for the helper calls of a region's instructions, roughly, as
     * -XX:+PrintInlining shows it: a floating-point operation with its exactness checks about 300,
     * a floating-point move, compare or conversion about 100. A load or store inlines about 130
     * but counts 60: at 130, regions of integer code that HotSpot inlined completely were cut
     * (sha256's by a fifth), and a smaller region costs more entries through the dispatcher.
     */
    static int helperBytes(Region region) {
        int total = 0;
        for (Region.Block b : region.blocks.values()) {
            for (long d : b.insns) {
                int op = Insn.op(d);
                if (op >= Op.LB && op <= Op.SD || op >= Op.FLW && op <= Op.FSD) total += 60;
                else if (op >= Op.FMADD_S && op <= Op.FSQRT_S || op >= Op.FMADD_D && op <= Op.FSQRT_D) total += 300;
                else if (op > Op.FSD && op <= Op.FMV_D_X) total += 100;
            }
        }
        return total;
    }

    /**
     * True when a block of the region ends in a jalr that is neither a call nor a return (rd = x0,
     * rs1 not x1 or x5, the link registers: unprivileged spec, "Unconditional Jumps", return-address
     * stack hints): a computed jump such as a switch's.
     */
    static boolean hasComputedJump(Region region) {
        for (Region.Block b : region.blocks.values()) {
            if (b.end != Region.End.JALR) continue;
            long d = b.insns.get(b.length() - 1);
            int rs1 = Insn.rs1(d);
            if (Insn.rd(d) == 0 && rs1 != 1 && rs1 != 5) return true;
        }
        return false;
    }

    /** -Drivet.jit.dump=DIR writes each generated class to DIR (for javap -c). */
    private static final String DUMP = System.getProperty("rivet.jit.dump");

    private static void dump(byte[] bytes) {
        if (DUMP == null) return;
        try {
            java.nio.file.Files.write(java.nio.file.Path.of(DUMP, "region" + SERIAL.incrementAndGet() + ".class"), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
