package dev.rivet.cpu;

/**
 * Translated code a hart can run instead of interpreting (implemented by the translator in
 * {@code dev.rivet.jit}; the CPU knows only this door). The interpreter calls it where a block may
 * start: at the start of a slice, after every taken jump or branch, and after an instruction that
 * translated code left to it.
 */
public interface CompiledCode {
    /**
     * Runs translated code from {@code h.pc} for as long as there is some, at most {@code budget}
     * instructions, and returns how many retired (already added to {@code h.instret}). Returns 0 at
     * once when no translation starts at pc. On return, and when it throws (a guest trap or a
     * host-side limit), the hart's state is exactly what the interpreter would have left.
     * {@code branchedTo}: pc was just set by a control transfer (a jump or branch taken, a trap,
     * an interrupt, an xRET), not merely where the previous slice ended or where the interpreter
     * goes on after an instruction translated code left to it; only such places, and the exits of
     * translated code, count towards translating (a slice ends anywhere, often inside a block).
     */
    long execute(Hart h, long budget, boolean branchedTo);

    /**
     * Called when a slice of {@link Interpreter#run} ends, on the hart's thread: the translator
     * takes what the hart counted for it during the slice ({@link Hart#translatedRetired},
     * {@link Hart#regionCalls}, {@link Hart#nestedCalls}, {@link Hart#memoryExits}) into its
     * statistics, shared by all harts. Doing that on every {@link #execute} instead, one atomic
     * update (a locked instruction) on the way between two translated regions, cost a busybox
     * shell loop in a booted guest a tenth of its time; counting each nested call so took the
     * calls benchmark 13-18 % of its samples.
     */
    void endSlice(Hart h);
}
