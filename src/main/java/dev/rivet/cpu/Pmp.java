package dev.rivet.cpu;

/**
 * Physical memory protection (privileged spec, "Physical Memory Protection"): 16 entries, each an
 * 8-bit configuration (R, W, X, address-matching mode A, lock L) and an address register holding
 * bits 55:2 of a physical address. The lowest-numbered entry that matches decides; M-mode is
 * bound only by locked entries; S/U-mode accesses that match no entry fail.
 */
public final class Pmp {
    public static final int ENTRIES = 16;
    static final int R = 1, W = 2, X = 4, A_SHIFT = 3, L = 0x80;
    static final int OFF = 0, TOR = 1, NA4 = 2, NAPOT = 3;

    private final byte[] cfg = new byte[ENTRIES];
    private final long[] addr = new long[ENTRIES];
    // Decoded ranges [lo, hi) per entry, recomputed on every write.
    private final long[] lo = new long[ENTRIES];
    private final long[] hi = new long[ENTRIES];
    private boolean anyActive;

    /** pmpcfgN for even N (RV64): eight configuration bytes. */
    public long readCfg(int reg) {
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (cfg[reg * 4 + i] & 0xffL) << (8 * i);
        return v;
    }

    public void writeCfg(int reg, long value) {
        for (int i = 0; i < 8; i++) {
            int e = reg * 4 + i;
            if ((cfg[e] & L) != 0) continue;
            int b = (int) (value >>> (8 * i)) & 0xff;
            // W without R is reserved: keep the entry's previous value (WARL).
            if ((b & (R | W)) == W) continue;
            cfg[e] = (byte) (b & (R | W | X | (3 << A_SHIFT) | L));
        }
        decode();
    }

    public long readAddr(int i) {
        return addr[i];
    }

    public void writeAddr(int i, long value) {
        if ((cfg[i] & L) != 0) return;
        if (i + 1 < ENTRIES && (cfg[i + 1] & L) != 0 && ((cfg[i + 1] >> A_SHIFT) & 3) == TOR) return;
        addr[i] = value & ((1L << 54) - 1);
        decode();
    }

    private void decode() {
        anyActive = false;
        for (int i = 0; i < ENTRIES; i++) {
            int mode = (cfg[i] >> A_SHIFT) & 3;
            switch (mode) {
                case TOR -> {
                    lo[i] = i == 0 ? 0 : addr[i - 1] << 2;
                    hi[i] = addr[i] << 2;
                }
                case NA4 -> {
                    lo[i] = addr[i] << 2;
                    hi[i] = lo[i] + 4;
                }
                case NAPOT -> {
                    int ones = Long.numberOfTrailingZeros(~addr[i]);
                    if (ones >= 54) {
                        lo[i] = 0;
                        hi[i] = Long.MAX_VALUE;
                    } else {
                        lo[i] = (addr[i] & ~((1L << ones) - 1)) << 2;
                        hi[i] = lo[i] + (1L << (ones + 3));
                    }
                }
                default -> {
                    lo[i] = 0;
                    hi[i] = 0;
                }
            }
            if (mode != OFF) anyActive = true;
        }
    }

    private static int need(Access a) {
        return switch (a) {
            case READ -> R;
            case WRITE -> W;
            case EXECUTE -> X;
        };
    }

    /** Whether an access of {@code size} bytes at {@code pa} is allowed at privilege {@code priv}. */
    public boolean allows(long pa, int size, Access access, int priv) {
        if (!anyActive) return priv == MachineState.PRV_M;
        long end = pa + size;
        for (int i = 0; i < ENTRIES; i++) {
            if (lo[i] >= hi[i] || Long.compareUnsigned(end, lo[i]) <= 0 || Long.compareUnsigned(pa, hi[i]) >= 0) continue;
            // Partially matching entries fail the access.
            if (Long.compareUnsigned(pa, lo[i]) < 0 || Long.compareUnsigned(end, hi[i]) > 0) return false;
            if (priv == MachineState.PRV_M && (cfg[i] & L) == 0) return true;
            return (cfg[i] & need(access)) != 0;
        }
        return priv == MachineState.PRV_M;
    }

    /** True when every byte of the 4 KiB page at {@code page} gets the same answer, so a TLB may keep it. */
    public boolean uniformOver(long page) {
        if (!anyActive) return true;
        long end = page + dev.rivet.mem.Page.SIZE;
        for (int i = 0; i < ENTRIES; i++) {
            if (lo[i] >= hi[i] || Long.compareUnsigned(end, lo[i]) <= 0 || Long.compareUnsigned(page, hi[i]) >= 0) continue;
            return Long.compareUnsigned(page, lo[i]) >= 0 && Long.compareUnsigned(end, hi[i]) <= 0;
        }
        return true;
    }
}
