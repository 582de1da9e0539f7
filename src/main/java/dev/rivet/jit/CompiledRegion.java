package dev.rivet.jit;

import dev.rivet.cpu.Hart;

/**
 * The superclass of every generated region class (each a hidden class, unloaded when its page's
 * translation is dropped). One instance per region.
 */
public abstract class CompiledRegion {
    /** For each instruction that may throw (by its index in the generated code): its page offset. */
    int[] trapPc;
    /** For each such instruction: how many instructions of its block had not retired when it threw. */
    int[] trapUndo;
    /** Guest instructions translated, and the size of the generated method in bytes. */
    int instructions;
    /** Page offsets of the instructions translated. */
    java.util.BitSet covered;
    int codeLength;

    protected CompiledRegion() {}

    /**
     * Runs the region from the block at {@code slot} (page offset / 2) for at most {@code budget}
     * instructions; {@code pcBase} is the virtual address of the page. Leaves pc, registers and
     * instret in the hart exactly as the interpreter would, and returns the instructions retired.
     */
    public abstract long run(Hart h, long pcBase, int slot, long budget);
}
