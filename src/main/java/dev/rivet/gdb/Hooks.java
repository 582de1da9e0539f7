package dev.rivet.gdb;

import dev.rivet.cpu.DebugHook;
import dev.rivet.cpu.Hart;

/**
 * Combines two {@link DebugHook}s on one hart (the debugger's and a tracer's). The first one may
 * stop an instruction before it executes, and then the second does not see it (it will when the
 * instruction really runs); after an instruction the second sees it first, so a trace line is
 * written before the debugger stops.
 */
public final class Hooks {
    private Hooks() {}

    /** {@code first} and {@code second} together; either may be null. */
    public static DebugHook chain(DebugHook first, DebugHook second) {
        if (first == null) return second;
        if (second == null) return first;
        return new DebugHook() {
            @Override
            public boolean armed(Hart h) {
                return first.armed(h) || second.armed(h);
            }

            @Override
            public boolean beforeInstruction(Hart h, long decoded) {
                return first.beforeInstruction(h, decoded) || second.beforeInstruction(h, decoded);
            }

            @Override
            public boolean afterInstruction(Hart h) {
                boolean b = second.afterInstruction(h);
                return first.afterInstruction(h) | b;
            }

            @Override
            public boolean masksInterrupts(Hart h) {
                return first.masksInterrupts(h) || second.masksInterrupts(h);
            }

            @Override
            public void trapEntered(Hart h, long cause, long tval, long epc, int newPriv) {
                first.trapEntered(h, cause, tval, epc, newPriv);
                second.trapEntered(h, cause, tval, epc, newPriv);
            }
        };
    }
}
