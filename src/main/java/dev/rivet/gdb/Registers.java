package dev.rivet.gdb;

import dev.rivet.cpu.DebugAccess;
import dev.rivet.cpu.Hart;

/**
 * Reads and writes a paused hart's registers by remote register number ({@link TargetDescription}
 * numbering), as the {@code g/G/p/P} packets need them.
 */
final class Registers {
    private final TargetDescription description;

    Registers(TargetDescription description) {
        this.description = description;
    }

    /** Bytes in the {@code g} packet: x0..x31 and pc (the rest is fetched with {@code p}). */
    static final int G_REGISTERS = 33;

    /** The {@code g} reply: x0..x31 and pc, little-endian hex. */
    String readGeneral(Hart h) {
        StringBuilder b = new StringBuilder(G_REGISTERS * 16);
        for (int i = 0; i < 32; i++) b.append(Packets.littleEndianHex(i == 0 ? 0 : h.x[i], 8));
        b.append(Packets.littleEndianHex(h.pc, 8));
        return b.toString();
    }

    /** Applies a {@code G} packet: as many whole 8-byte registers as it holds, from x0. */
    void writeGeneral(Hart h, String hex) {
        if (hex.length() % 16 != 0 || hex.length() / 16 > G_REGISTERS) throw new Packets.Malformed("bad G packet size");
        for (int i = 0; i < hex.length() / 16; i++) write(h, i, Packets.parseLittleEndian(hex.substring(16 * i, 16 * i + 16)));
    }

    /** The {@code p} reply for register {@code n}: its value in hex, or null if there is no such register. */
    String read(Hart h, int n) {
        int size = description.registerSize(n);
        if (size == 0) return null;
        Long v = value(h, n);
        // An unreadable register is reported as unavailable rather than as an error.
        return v == null ? "x".repeat(size * 2) : Packets.littleEndianHex(v, size);
    }

    private static Long value(Hart h, int n) {
        if (n < 32) return n == 0 ? 0L : h.x[n];
        if (n == TargetDescription.PC) return h.pc;
        if (n < TargetDescription.FIRST_CSR) return h.f[n - TargetDescription.FIRST_FPR];
        if (n == TargetDescription.PRIV) return (long) h.machine.priv;
        return DebugAccess.readCsr(h, n - TargetDescription.FIRST_CSR);
    }

    /** Writes register {@code n}; false if it does not exist or cannot be written. */
    boolean write(Hart h, int n, long v) {
        if (description.registerSize(n) == 0) return false;
        if (n < 32) {
            if (n != 0) h.x[n] = v;
            return true;
        }
        if (n == TargetDescription.PC) {
            h.pc = v;
            return true;
        }
        if (n < TargetDescription.FIRST_CSR) {
            h.f[n - TargetDescription.FIRST_FPR] = v;
            return true;
        }
        if (n == TargetDescription.PRIV) return DebugAccess.setPrivilege(h, (int) v);
        return DebugAccess.writeCsr(h, n - TargetDescription.FIRST_CSR, v);
    }
}
