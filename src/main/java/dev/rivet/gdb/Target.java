package dev.rivet.gdb;

/**
 * What a front end (process VM or system VM) gives the debugger besides its threads: memory as a
 * thread sees it, the target description, monitor commands, and how to end the guest.
 * Memory and register access happen only while the target is halted.
 */
public interface Target {
    TargetDescription description();

    /**
     * Reads up to {@code length} bytes at {@code address} as {@code thread} sees memory (its
     * address space, or its current translation). Returns the bytes readable from {@code address}
     * on: fewer (possibly none) when the range runs into memory that cannot be read.
     */
    byte[] read(DebugThread thread, long address, int length);

    /** Writes {@code data} at {@code address} as {@code thread} sees memory; false if any byte cannot be written. */
    boolean write(DebugThread thread, long address, byte[] data);

    /** True when the guest existed before the debugger (gdb detaches rather than kills on quit). */
    boolean attachedToExisting();

    /** Whether stops report Linux signals (the process VM), so {@code QPassSignals} applies. */
    boolean hasSignals();

    /** The output of {@code monitor COMMAND}, or null for an unknown command. */
    String monitor(DebugThread thread, String command);

    /** A short description of a thread for {@code info threads}, or null. */
    default String threadInfo(DebugThread thread) {
        return null;
    }

    /** Ends the guest (the {@code k} packet). */
    void kill();
}
