package dev.rivet.cpu;

/**
 * A decoded instruction packed into one {@code long}, so a page of decoded code is a plain
 * {@code long[]} with no object per instruction.
 *
 * <pre>
 * bits  0..7   operation ({@link Op})
 * bits  8..12  rd       bits 13..17 rs1     bits 18..22 rs2     bits 23..27 rs3
 * bits 28..29  length in halfwords: 1 when the instruction is 16 bits long (compressed), else 2
 * bits 32..63  immediate, sign-extended to 32 bits (for CSR operations: the CSR number;
 *              for floating-point arithmetic: the rounding mode; for illegal ones: the raw bits)
 * </pre>
 */
public final class Insn {
    private Insn() {}

    /** The bit where each register field starts. */
    static final int RD = 8, RS1 = 13, RS2 = 18;

    public static long pack(int op, int rd, int rs1, int rs2, int rs3, int imm, boolean compressed) {
        return (op & 0xffL) | (long) (rd & 31) << RD | (long) (rs1 & 31) << RS1 | (long) (rs2 & 31) << RS2
                | (long) (rs3 & 31) << 23 | (compressed ? 1L : 2L) << 28 | (long) imm << 32;
    }

    public static int op(long d) {
        return (int) d & 0xff;
    }

    public static int rd(long d) {
        return (int) (d >>> RD) & 31;
    }

    public static int rs1(long d) {
        return (int) (d >>> RS1) & 31;
    }

    public static int rs2(long d) {
        return (int) (d >>> RS2) & 31;
    }

    public static int rs3(long d) {
        return (int) (d >>> 23) & 31;
    }

    public static int imm(long d) {
        return (int) (d >> 32);
    }

    /** Length in bytes: 2 for compressed instructions, 4 otherwise. */
    public static int length(long d) {
        return (int) (d >>> 27) & 6;
    }

    /**
     * Four times the length: how many bytes the next instruction's slot lies after this one's in
     * a page of decoded code (a {@code long} per two bytes of the page), with a shift and a mask.
     */
    static long slotStride(long d) {
        return (d >>> 25) & 0x18;
    }
}
