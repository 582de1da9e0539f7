package dev.rivet.jit;

/**
 * Thrown by a translated load or store that misses the fast path (a TLB miss, an access crossing
 * a page, a device, a fault): the region's handler stops with pc at that instruction, as before it
 * ran, and the interpreter performs it on its own slow path. Translated code thereby makes no
 * calls on the way of a memory access, and HotSpot can keep a loop's registers in host registers
 * across it (every host register is caller-saved around a JVM call). A single shared instance: it
 * carries no state and no stack trace.
 */
final class LeaveToInterpreter extends RuntimeException {
    static final LeaveToInterpreter INSTANCE = new LeaveToInterpreter();

    private LeaveToInterpreter() {
        super("memory access left to the interpreter", null, false, false);
    }
}
