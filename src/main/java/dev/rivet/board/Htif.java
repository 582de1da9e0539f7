package dev.rivet.board;

import dev.rivet.mem.Bytes;
import dev.rivet.mem.Ram;
import java.io.OutputStream;

/**
 * The host-target interface of Spike-style bare-metal programs: a store of {@code (code << 1) | 1}
 * to the {@code tohost} symbol ends the machine with exit status {@code code}; any other non-zero
 * value points at a "magic memory" block {syscall number, a0, a1, a2} of which write(64) is served,
 * answered through {@code fromhost}. The watched words live in RAM; this only intercepts them.
 */
final class Htif {
    private static final long SYS_WRITE = 64;

    private final long tohost;
    private final long fromhost;
    private final Ram ram;
    private final OutputStream console;
    private final java.util.function.IntConsumer exit;

    Htif(long tohost, long fromhost, Ram ram, OutputStream console, java.util.function.IntConsumer exit) {
        this.tohost = tohost;
        this.fromhost = fromhost;
        this.ram = ram;
        this.console = console;
        this.exit = exit;
    }

    /** Whether the 4 KiB page of {@code pa} holds tohost or fromhost. */
    boolean onPage(long pa) {
        long page = pa >>> 12;
        return page == tohost >>> 12 || (fromhost != 0 && page == fromhost >>> 12);
    }

    boolean covers(long pa) {
        return (pa >= tohost && pa < tohost + 8) || (fromhost != 0 && pa >= fromhost && pa < fromhost + 8);
    }

    long read(long pa, int size) {
        return ram.page(pa).read((int) (pa & dev.rivet.mem.Page.OFFSET_MASK), size);
    }

    void write(long pa, int size, long value) {
        ram.page(pa).write((int) (pa & dev.rivet.mem.Page.OFFSET_MASK), size, value);
        if (pa != tohost || value == 0) return;
        if ((value & 1) != 0) {
            exit.accept((int) (value >>> 1));
            return;
        }
        byte[] magic = ram.read(value, 32);
        if (Bytes.i64(magic, 0) == SYS_WRITE) {
            byte[] data = ram.read(Bytes.i64(magic, 16), (int) Math.min(Bytes.i64(magic, 24), 1 << 20));
            try {
                console.write(data);
                console.flush();
            } catch (java.io.IOException ignored) {
                // The host console is gone; the guest's write still completes.
            }
        }
        ram.write(tohost, new byte[8]);
        if (fromhost != 0) ram.write(fromhost, new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
    }
}
