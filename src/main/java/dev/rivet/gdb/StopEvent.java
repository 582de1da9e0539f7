package dev.rivet.gdb;

/**
 * Why the target stopped, as a stop reply ({@code T} packet) reports it: the thread, the GDB
 * signal number, and optionally the reason ({@code swbreak}, {@code hwbreak}, or a watchpoint key
 * with the data address).
 */
public record StopEvent(DebugThread thread, int signal, String reason, long address) {
    static StopEvent signal(DebugThread t, int gdbSignal) {
        return new StopEvent(t, gdbSignal, null, 0);
    }

    static StopEvent trap(DebugThread t, String reason, long address) {
        return new StopEvent(t, GdbSignals.TRAP, reason, address);
    }

    /** The stop reply packet. */
    String reply() {
        StringBuilder b = new StringBuilder(64);
        b.append('T').append(String.format("%02x", signal & 0xff));
        if (thread != null) {
            b.append("thread:").append(Integer.toHexString(thread.id)).append(';');
            b.append(Integer.toHexString(TargetDescription.PC)).append(':')
                    .append(Packets.littleEndianHex(thread.hart.pc, 8)).append(';');
        }
        if (reason != null) {
            b.append(reason).append(':');
            if (reason.endsWith("watch")) b.append(Long.toHexString(address));
            b.append(';');
        }
        return b.toString();
    }
}
