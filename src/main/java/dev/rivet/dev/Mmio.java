package dev.rivet.dev;

/**
 * Helpers for devices whose registers are 32 bits wide but which the bus may access with other
 * widths. Little-endian, as every register of the RISC-V virt board.
 */
final class Mmio {
    private Mmio() { }

    /** The bytes {@code [offset, offset+size)} of a 32-bit register holding {@code word}, zero-extended. */
    static long extract(long word, long offset, int size) {
        int shift = (int) (offset & 3) * 8;
        long v = (word & 0xffff_ffffL) >>> shift;
        return size >= 4 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** {@code word} with the bytes {@code [offset, offset+size)} replaced by the low bytes of {@code value}. */
    static long merge(long word, long offset, int size, long value) {
        if (size >= 4) {
            return value & 0xffff_ffffL;
        }
        int shift = (int) (offset & 3) * 8;
        long mask = ((1L << (size * 8)) - 1) << shift;
        return (word & ~mask | (value << shift) & mask) & 0xffff_ffffL;
    }
}
