package dev.rivet.cpu;

/** Why {@link Interpreter#run} returned. */
public enum Stop {
    /** The instruction budget ran out; call again to continue. */
    BUDGET,
    /** An {@code ecall} in a user-only hart; pc still points at it. */
    ECALL,
    /** An exception in a user-only hart; cause and value are in the hart, pc at the instruction. */
    EXCEPTION,
    /** The hart executed {@code wfi}. */
    WFI,
    /** Someone asked the hart to stop ({@link Hart#requestStop}). */
    REQUESTED,
    /** The hart's {@link DebugHook} stopped it (breakpoint, watchpoint, completed step). */
    DEBUG
}
