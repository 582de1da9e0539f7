package dev.rivet.cpu;

/**
 * Lets a debugger (breakpoints, watchpoints, single-step) or a tracer see a hart execute. It is
 * installed in {@link Hart#debugHook}; null there means nobody is looking and costs nothing.
 *
 * <h2>Contract for every execution engine (the interpreter, and any translator or JIT)</h2>
 * <ol>
 *   <li>On every entry to run guest code for a hart (each slice: {@link Interpreter#run}), an
 *       engine reads {@link Hart#debugHook}. When it is non-null and {@link #armed} returns true,
 *       the engine must not run translated code for that hart: it must execute through
 *       {@link Interpreter#run}, which then goes one instruction at a time and calls
 *       {@link #beforeInstruction} before and {@link #afterInstruction} after each. A translator
 *       that wants to stay fast while a hook is armed may instead emit the same calls itself,
 *       at every instruction boundary, with exactly the semantics below.</li>
 *   <li>Whoever arms a hook of a hart that may be running calls {@link Hart#requestStop} so the
 *       hart leaves the engine and sees the hook at its next entry (debuggers arm hooks only while
 *       the hart is paused anyway).</li>
 *   <li>{@link #trapEntered} is called by {@link Traps#take} for every exception and interrupt
 *       taken in the system VM, armed or not, whatever engine raised it.</li>
 * </ol>
 *
 * <p>Hooks run on the hart's own thread and must not call back into the hart's execution.
 */
public interface DebugHook {
    /** True while the hook must see every instruction (breakpoints, watchpoints, stepping, instruction trace). */
    boolean armed(Hart h);

    /**
     * Called before the instruction {@code decoded} (an {@link Insn} word) at {@code h.pc}
     * executes. Returning true abandons it: the engine returns {@link Stop#DEBUG} with the hart
     * exactly as before the instruction (a breakpoint or watchpoint hit).
     */
    boolean beforeInstruction(Hart h, long decoded);

    /**
     * Called after an instruction retired, or after a trap or interrupt was entered (then
     * {@code h.pc} is the handler's first instruction). Returning true makes the engine return
     * {@link Stop#DEBUG} with the hart at the next instruction (a completed single step). Not called
     * for a user-only hart's ecall or exception: those return to the front end, which handles them.
     */
    boolean afterInstruction(Hart h);

    /** True to keep interrupts pending instead of taking them while armed (single-stepping). */
    default boolean masksInterrupts(Hart h) {
        return false;
    }

    /**
     * A trap was entered (system VM): {@code cause} as written to mcause/scause (top bit set for an
     * interrupt), its trap value, the pc it came from, and the privilege mode it entered.
     */
    default void trapEntered(Hart h, long cause, long tval, long epc, int newPriv) {}
}
