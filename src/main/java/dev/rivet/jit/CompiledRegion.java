package dev.rivet.jit;

import dev.rivet.cpu.Hart;
import dev.rivet.mem.Page;

/**
 * The superclass of every generated region class (each a hidden class, unloaded with its batch
 * once no region of the batch is referenced: see {@link RegionLoader}). One instance per region.
 *
 * <p>{@link #run} returns where it left and how many instructions it retired, packed in a long
 * (see {@link #leave}), and the caller sets the hart's pc and instret from it: a region's exits
 * then need neither the hart nor the page's address, which would otherwise be live (in a host
 * register) throughout every loop that can exit.
 */
public abstract class CompiledRegion {
    /** Where-to code: the region set pc itself (a jalr off the page). */
    static final int PC_SET = Integer.MIN_VALUE;
    /** Where-to codes from here up: trap table index + TRAPPED, for an instruction that threw. */
    static final int TRAPPED = 1 << 30;

    /** For each instruction that may throw (by its index in the generated code): its page offset. */
    int[] trapPc;
    /** For each such instruction: how many instructions of its block had not retired when it threw. */
    int[] trapUndo;
    /** Guest instructions translated, and the size of the generated method in bytes. */
    int instructions;
    /** Page offsets of the instructions translated. */
    java.util.BitSet covered;
    int codeLength;
    /** The budget a run needs to be entered at all: the dispatcher does not call it with less. */
    int entryReach;
    /** Has a computed jump such as a switch's (see {@link Translator#hasComputedJump}). */
    boolean computedJump;
    /**
     * The page and decoded-slot array (its code version) it was installed for: what a jump cache
     * hit fetches from. Typed as the array it is, so that a hit does not read its header (a cast
     * would: one more cache line a call, on which 13 % of the dispatcher's samples fell).
     */
    Page page;
    long[] code;
    /**
     * The page the hart maps after {@link #page} and its code version (its decoded-slot array),
     * when the region holds instructions of it (a loop crossing the end of its page, see
     * {@link Region}); else null. The dispatcher enters the region only while the hart's fetch
     * TLB maps the next page to it unchanged ({@link Jit}): the translation was made from its bytes
     * as mapped then, and a store to a code page goes through the slow path, which changes the
     * version.
     */
    Page nextPage;
    Object nextVersion;
    /**
     * Set when the region must not be entered again from a jump cache: its page's code changed
     * ({@link PageCode#discard}) or the code cache dropped it. Read without synchronization: the
     * hart whose store changed the code sets it itself, and another hart needs a fence.i before
     * it must see the change (unprivileged spec, "Zifencei"), which empties its jump caches.
     */
    boolean discarded;

    protected CompiledRegion() {}

    /**
     * Runs the region from the block at {@code slot} (page offset / 2) for at most {@code limit}
     * instructions; {@code pcBase} is the virtual address of the page. Leaves the registers in
     * the hart exactly as the interpreter would, and returns where to and how many of the
     * {@code limit} instructions it did not retire, for {@link #leave}; an exception from an
     * instruction comes as a {@link Trapped}.
     */
    public abstract long run(Hart h, long pcBase, int slot, int limit);

    /**
     * A run retires at most this many instructions (a few milliseconds), so that the dispatcher
     * looks at attention (stop requests, interrupts, a mapping change waiting: cpu.TlbShootdown)
     * in time: loops do not look themselves. {@code -Drivet.jit.maxRun=N}: at 65536 a thread's
     * munmap waited for a thread computing in a translated loop about a third as long, but matmul
     * ran 7 % slower (4.31 s against 4.00, slower in 3 of 4 alternating runs) and sha256 2 % (bench/HISTORY.md).
     */
    static final int MAX_RUN = Integer.getInteger("rivet.jit.maxRun", 1 << 22);

    /** The {@code limit} for {@link #run} with {@code budget} instructions left in the slice. */
    static int limit(long budget) {
        return (int) Math.min(budget, MAX_RUN);
    }

    /**
     * Sets the hart's pc and instret from what {@link #run} returned when called with
     * {@code limit}; false when the hart is to go on in the interpreter (nothing ran, or a memory
     * access is left to it).
     */
    final boolean leave(Hart h, long pcBase, int limit, long result) {
        int where = (int) (result >> 32), n = limit - (int) result;
        if (where >= TRAPPED) {
            int at = where - TRAPPED;
            h.pc = pcBase + trapPc[at];
            h.instret += n - trapUndo[at];
            return false;
        }
        if (where != PC_SET) h.pc = pcBase + where;
        h.instret += n;
        return n != 0;
    }

    /**
     * A guest call from {@code caller}'s code, to {@code target} off the region, with the
     * registers written back to the hart and {@code left} of its budget: runs the callee until it
     * returns to {@code returnPc} and returns the budget left then (the region goes on at the
     * return point, through its dispatch), or -1: the region leaves with pc set and its budget as
     * it was.
     */
    public static int call(CompiledRegion caller, Hart h, long target, long returnPc, int left) {
        return ((Jit) h.compiled).callNested(caller, h, target, returnPc, left);
    }

    /** True when {@link #run} left a memory access to the interpreter. */
    static boolean leftAccess(long result) {
        return (int) (result >> 32) >= TRAPPED;
    }

    /**
     * The handler of translated code, for the instruction at trap table index {@code at}, with
     * {@code left} instructions not retired: a memory access left to the interpreter comes back as
     * a result ({@link #TRAPPED}); anything else (a guest trap) is thrown on as a {@link Trapped}.
     */
    public static long trapped(Throwable thrown, int at, int left) {
        if (thrown instanceof LeaveToInterpreter) return (long) (TRAPPED + at) << 32 | left;
        throw new Trapped(thrown, at, left);
    }

    /** An exception thrown by a translated instruction: {@link #rethrow} puts pc and instret back. */
    static final class Trapped extends RuntimeException {
        private final int at, left;

        Trapped(Throwable cause, int at, int left) {
            super(null, cause, false, false);
            this.at = at;
            this.left = left;
        }

        /** Sets pc to the instruction that threw and instret to the instructions before it, and throws the cause. */
        RuntimeException rethrow(CompiledRegion region, Hart h, long pcBase, int limit) {
            region.leave(h, pcBase, limit, (long) (TRAPPED + at) << 32 | left);
            switch (getCause()) {
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                case Throwable t -> throw new IllegalStateException(t);
            }
        }
    }
}
