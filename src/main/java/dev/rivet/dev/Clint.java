package dev.rivet.dev;

import dev.rivet.cpu.Clock;

/**
 * SiFive CLINT, laid out as the ACLINT MSWI + MTIMER pair that QEMU's virt board places at
 * 0x2000000 (hw/intc/riscv_aclint.c, RISC-V ACLINT specification):
 * <pre>
 *   +0x0000 + 4*h   msip[h]       bit 0 drives mip.MSIP of hart h
 *   +0x4000 + 8*h   mtimecmp[h]   mip.MTIP of hart h is set while mtime &gt;= mtimecmp[h] (unsigned)
 *   +0xbff8         mtime         10 MHz timebase from the {@link Clock}, writable (kept as an offset)
 * </pre>
 * 64-bit registers answer aligned 8-byte accesses and 4-byte accesses to either half. The CLINT never
 * runs a host timer: the board calls {@link #updateTimers()} between CPU slices, and a hart in WFI
 * sleeps for {@link #nanosUntilTimer(int)}. Thread-safe; {@link HartInterrupts#setPending} is called
 * with this CLINT's lock held, so it must not call back into the CLINT.
 */
public final class Clint implements Device {
    /** Size of the register window on the virt board. */
    public static final long SIZE = 0x10000;
    public static final int MSIP = 0x0, MTIMECMP = 0x4000, MTIME = 0xbff8;
    /** Most harts the layout can address (4095 msip words, as the ACLINT specification). */
    public static final int MAX_HARTS = 4095;

    private static final long NANOS_PER_TICK = 1_000_000_000L / Clock.TIMEBASE_HZ;

    private final int harts;
    private final Clock clock;
    private final HartInterrupts irq;
    private final long[] mtimecmp;
    private final boolean[] msip;
    private final boolean[] mtip;
    /** mtime minus {@code clock.ticks()}; changes only when the guest writes mtime. */
    private volatile long timeDelta;

    /**
     * @param harts number of harts (ids 0..harts-1)
     * @param clock source of the 10 MHz timebase
     * @param irq   the harts' mip bits this CLINT drives (MSIP, MTIP)
     */
    public Clint(int harts, Clock clock, HartInterrupts irq) {
        if (harts < 1 || harts > MAX_HARTS) {
            throw new IllegalArgumentException("harts must be 1.." + MAX_HARTS + ": " + harts);
        }
        this.harts = harts;
        this.clock = clock;
        this.irq = irq;
        this.mtimecmp = new long[harts];
        this.msip = new boolean[harts];
        this.mtip = new boolean[harts];
        // The ACLINT spec leaves mtimecmp unknown at reset; all ones keeps MTIP clear until software
        // programs it (QEMU starts at 0, which pends MTIP at once).
        java.util.Arrays.fill(mtimecmp, -1L);
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public String name() {
        return "clint";
    }

    /** Current mtime in timebase ticks: what the {@code time} CSR of every hart reads. */
    public synchronized long mtime() {
        return clock.ticks() + timeDelta;
    }

    /**
     * Time as the harts see it: mtime, including guest writes to it. The {@code time} CSR is a
     * read-only shadow of mtime (priv spec machine.adoc, "Machine Timer Registers"), and Sstc
     * compares stimecmp with it.
     */
    public Clock timebase() {
        return new Clock() {
            @Override
            public long nanos() {
                return clock.nanos() + timeDelta * NANOS_PER_TICK;
            }

            @Override
            public long ticks() {
                return clock.ticks() + timeDelta;
            }
        };
    }

    /** The mtimecmp of {@code hart}. */
    public synchronized long mtimecmp(int hart) {
        return mtimecmp[hart];
    }

    /** Re-evaluates MTIP of every hart against the current mtime; the board calls this between slices. */
    public synchronized void updateTimers() {
        long now = clock.ticks() + timeDelta;
        for (int h = 0; h < harts; h++) {
            drive(h, now);
        }
    }

    /**
     * Host nanoseconds until mtime reaches mtimecmp of {@code hart}: 0 if it already has,
     * {@link Long#MAX_VALUE} if it practically never will (mtimecmp = all ones).
     */
    public synchronized long nanosUntilTimer(int hart) {
        long nanos = clock.nanos();
        long now = nanos / NANOS_PER_TICK + timeDelta;
        long diff = mtimecmp[hart] - now;
        if (Long.compareUnsigned(now, mtimecmp[hart]) >= 0) {
            return 0;
        }
        if (Long.compareUnsigned(diff, Long.MAX_VALUE / NANOS_PER_TICK) > 0) {
            return Long.MAX_VALUE;
        }
        return diff * NANOS_PER_TICK - nanos % NANOS_PER_TICK;
    }

    /** The smallest {@link #nanosUntilTimer(int)} over all harts. */
    public synchronized long nanosUntilAnyTimer() {
        long min = Long.MAX_VALUE;
        for (int h = 0; h < harts; h++) {
            min = Math.min(min, nanosUntilTimer(h));
        }
        return min;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (size == 8 && (offset & 7) == 0 && isTimerRegister(offset)) {
            return read64(offset);
        }
        if (size == 8) {
            return read32(offset) | read32(offset + 4) << 32;
        }
        return Mmio.extract(read32(offset & ~3L), offset, size);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (size == 8 && (offset & 7) == 0 && isTimerRegister(offset)) {
            write64(offset, value);
        } else if (size == 8) {
            write32(offset, value & 0xffff_ffffL);
            write32(offset + 4, value >>> 32);
        } else {
            long aligned = offset & ~3L;
            write32(aligned, Mmio.merge(read32(aligned), offset, size, value));
        }
    }

    private boolean isTimerRegister(long offset) {
        return offset == MTIME || offset >= MTIMECMP && offset < MTIMECMP + 8L * harts;
    }

    private long read64(long offset) {
        return offset == MTIME ? clock.ticks() + timeDelta : mtimecmp[(int) ((offset - MTIMECMP) >> 3)];
    }

    private void write64(long offset, long value) {
        if (offset == MTIME) {
            // Writing mtime moves the whole timebase; every comparison changes (ACLINT spec, MTIMER).
            timeDelta = value - clock.ticks();
            updateTimers();
        } else {
            int hart = (int) ((offset - MTIMECMP) >> 3);
            mtimecmp[hart] = value;
            drive(hart, clock.ticks() + timeDelta);
        }
    }

    private long read32(long offset) {
        if (offset < 4L * harts) {
            return msip[(int) (offset >> 2)] ? 1 : 0;
        }
        if (isTimerRegister(offset & ~7L)) {
            long v = read64(offset & ~7L);
            return (offset & 4) == 0 ? v & 0xffff_ffffL : v >>> 32;
        }
        return 0;
    }

    private void write32(long offset, long value) {
        if (offset < 4L * harts) {
            // MSIP: bit 0 is the hart's machine software interrupt; the other bits are hardwired zero.
            int hart = (int) (offset >> 2);
            msip[hart] = (value & 1) != 0;
            irq.setPending(hart, HartInterrupts.MSIP, msip[hart]);
        } else if (isTimerRegister(offset & ~7L)) {
            long reg = offset & ~7L;
            long old = read64(reg);
            long v = (offset & 4) == 0 ? old & 0xffff_ffff_0000_0000L | value & 0xffff_ffffL
                    : old & 0xffff_ffffL | value << 32;
            write64(reg, v);
        }
    }

    /** Sets MTIP of {@code hart} to (mtime >= mtimecmp), telling the hart only when it changes. */
    private void drive(int hart, long now) {
        boolean level = Long.compareUnsigned(now, mtimecmp[hart]) >= 0;
        if (level != mtip[hart]) {
            mtip[hart] = level;
            irq.setPending(hart, HartInterrupts.MTIP, level);
        }
    }
}
