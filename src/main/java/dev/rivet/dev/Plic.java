package dev.rivet.dev;

/**
 * SiFive PLIC with the register layout and sizes of QEMU's virt board (hw/intc/sifive_plic.c,
 * "RISC-V Platform-Level Interrupt Controller Specification"):
 * <pre>
 *   +0x000000 + 4*i                 priority of source i (1..95), 3 bits WARL: 0 = never, 7 = highest
 *   +0x001000                       pending bits, 32 sources per word (read-only)
 *   +0x002000 + 0x80*c              enable bits of context c
 *   +0x200000 + 0x1000*c            priority threshold of context c (3 bits WARL)
 *   +0x200004 + 0x1000*c            claim (read) / complete (write) of context c
 * </pre>
 * Context 2h is M-mode of hart h (drives mip.MEIP), 2h+1 its S-mode (drives mip.SEIP).
 * Sources are level-triggered: each has a gateway ({@link #line(int)}) that makes it pending while
 * its line is high and it is not being serviced; a claim clears the pending bit and marks the source
 * in service, and the completion re-arms the gateway, so a line still high pends again at once.
 * Registers are 32 bits; other access sizes are split or merged. Thread-safe: lines may be driven
 * from any host thread. {@link HartInterrupts#setPending} is called with the PLIC's lock held.
 */
public final class Plic implements Device {
    /** Number of interrupt sources including the non-existent source 0 (QEMU VIRT_IRQCHIP_NUM_SOURCES). */
    public static final int SOURCES = 96;
    /** Highest priority (QEMU VIRT_IRQCHIP_NUM_PRIO_BITS = 3). */
    public static final int MAX_PRIORITY = 7;
    /** Size of the register window on the virt board (room for 1024 contexts, as QEMU). */
    public static final long SIZE = 0x600000;
    public static final int PRIORITY = 0x0, PENDING = 0x1000, ENABLE = 0x2000, ENABLE_STRIDE = 0x80;
    public static final int CONTEXT = 0x200000, CONTEXT_STRIDE = 0x1000;

    private static final int WORDS = (SOURCES + 31) / 32;

    private final int contexts;
    private final HartInterrupts irq;
    private final int[] priority = new int[SOURCES];
    private final int[] pending = new int[WORDS];
    private final int[] claimed = new int[WORDS];
    private final int[] level = new int[WORDS];
    private final int[][] enable;
    private final int[] threshold;
    private final boolean[] output;
    private final InterruptLine[] lines = new InterruptLine[SOURCES];

    /**
     * @param harts number of harts; each gets an M-mode and an S-mode context
     * @param irq   the harts' MEIP/SEIP bits this PLIC drives
     */
    public Plic(int harts, HartInterrupts irq) {
        if (harts < 1 || 2L * harts * CONTEXT_STRIDE > SIZE - CONTEXT) {
            throw new IllegalArgumentException("PLIC cannot serve " + harts + " harts");
        }
        this.contexts = 2 * harts;
        this.irq = irq;
        this.enable = new int[contexts][WORDS];
        this.threshold = new int[contexts];
        this.output = new boolean[contexts];
        for (int s = 1; s < SOURCES; s++) {
            int source = s;
            lines[s] = on -> setLevel(source, on);
        }
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public String name() {
        return "plic";
    }

    /** The level-triggered input wire of {@code source} (1..95). */
    public InterruptLine line(int source) {
        if (source < 1 || source >= SOURCES) {
            throw new IllegalArgumentException("PLIC source must be 1.." + (SOURCES - 1) + ": " + source);
        }
        return lines[source];
    }

    /** Whether {@code source} is pending (for tests and traces). */
    public synchronized boolean isPending(int source) {
        return bit(pending, source);
    }

    private synchronized void setLevel(int source, boolean on) {
        set(level, source, on);
        // Gateway: a level-triggered request is forwarded while the line is high; QEMU also drops the
        // pending bit when the line falls before a claim, so a withdrawn request is never claimed.
        set(pending, source, on && !bit(claimed, source));
        update();
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (size == 8) {
            return read32(offset) | read32(offset + 4) << 32;
        }
        return Mmio.extract(read32(offset & ~3L), offset, size);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (size == 8) {
            write32(offset, value & 0xffff_ffffL);
            write32(offset + 4, value >>> 32);
        } else if (size == 4) {
            write32(offset, value & 0xffff_ffffL);
        } else {
            long aligned = offset & ~3L;
            write32(aligned, Mmio.merge(peek32(aligned), offset, size, value));
        }
    }

    private long read32(long offset) {
        if (isClaim(offset)) {
            return claim((int) ((offset - CONTEXT) / CONTEXT_STRIDE));
        }
        return peek32(offset);
    }

    /** A register read without side effects (the claim register reads as 0 here). */
    private long peek32(long offset) {
        if (offset < PRIORITY + 4L * SOURCES) {
            return priority[(int) (offset >> 2)];
        }
        if (offset >= PENDING && offset < PENDING + 4L * WORDS) {
            return pending[(int) ((offset - PENDING) >> 2)] & 0xffff_ffffL;
        }
        if (offset >= ENABLE && offset < ENABLE + (long) ENABLE_STRIDE * contexts) {
            int word = (int) ((offset - ENABLE) % ENABLE_STRIDE) >> 2;
            return word < WORDS ? enable[(int) ((offset - ENABLE) / ENABLE_STRIDE)][word] & 0xffff_ffffL : 0;
        }
        if (offset >= CONTEXT && offset < CONTEXT + (long) CONTEXT_STRIDE * contexts
                && (offset - CONTEXT) % CONTEXT_STRIDE == 0) {
            return threshold[(int) ((offset - CONTEXT) / CONTEXT_STRIDE)];
        }
        return 0;
    }

    private void write32(long offset, long value) {
        if (offset < PRIORITY + 4L * SOURCES) {
            int source = (int) (offset >> 2);
            if (source != 0) {
                // WARL: only the low 3 bits exist (QEMU keeps value % (num_priorities + 1)).
                priority[source] = (int) (value & MAX_PRIORITY);
                update();
            }
        } else if (offset >= ENABLE && offset < ENABLE + (long) ENABLE_STRIDE * contexts) {
            int word = (int) ((offset - ENABLE) % ENABLE_STRIDE) >> 2;
            if (word < WORDS) {
                int v = (int) value;
                if (word == 0) {
                    v &= ~1; // source 0 does not exist; its enable bit is hardwired to zero
                }
                enable[(int) ((offset - ENABLE) / ENABLE_STRIDE)][word] = v;
                update();
            }
        } else if (offset >= CONTEXT && offset < CONTEXT + (long) CONTEXT_STRIDE * contexts) {
            int ctx = (int) ((offset - CONTEXT) / CONTEXT_STRIDE);
            long reg = (offset - CONTEXT) % CONTEXT_STRIDE;
            if (reg == 0) {
                threshold[ctx] = (int) (value & MAX_PRIORITY);
                update();
            } else if (reg == 4) {
                complete(ctx, value);
            }
        }
        // Pending bits are read-only, other offsets are reserved: writes are ignored.
    }

    private boolean isClaim(long offset) {
        return offset >= CONTEXT && offset < CONTEXT + (long) CONTEXT_STRIDE * contexts
                && (offset - CONTEXT) % CONTEXT_STRIDE == 4;
    }

    /**
     * Interrupt claim process (PLIC spec): the ID of the highest-priority pending source enabled for
     * {@code ctx} whose priority exceeds its threshold, ties going to the lowest ID; 0 if none. The
     * source's pending bit is cleared and it stays in service until completed.
     */
    private int claim(int ctx) {
        int source = best(ctx);
        if (source != 0) {
            set(pending, source, false);
            set(claimed, source, true);
            update();
        }
        return source;
    }

    /**
     * Interrupt completion (PLIC spec): ends service of the source, re-arming its gateway. A
     * completion for a source not enabled for the context is silently ignored, as the spec says
     * (QEMU accepts it). A line still high makes the source pending again.
     */
    private void complete(int ctx, long value) {
        if (value <= 0 || value >= SOURCES || !bit(enable[ctx], (int) value)) {
            return;
        }
        int source = (int) value;
        set(claimed, source, false);
        if (bit(level, source)) {
            set(pending, source, true);
        }
        update();
    }

    /** Highest-priority pending, enabled, unclaimed source above the context's threshold, or 0. */
    private int best(int ctx) {
        int bestSource = 0;
        int bestPriority = threshold[ctx];
        for (int w = 0; w < WORDS; w++) {
            int candidates = pending[w] & ~claimed[w] & enable[ctx][w];
            while (candidates != 0) {
                int source = w * 32 + Integer.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                if (priority[source] > bestPriority) { // strictly greater: ties keep the lower ID
                    bestSource = source;
                    bestPriority = priority[source];
                }
            }
        }
        return bestSource;
    }

    /** Drives MEIP/SEIP of every context whose claimable set became empty or non-empty. */
    private void update() {
        for (int ctx = 0; ctx < contexts; ctx++) {
            boolean on = best(ctx) != 0;
            if (on != output[ctx]) {
                output[ctx] = on;
                irq.setPending(ctx >> 1, (ctx & 1) == 0 ? HartInterrupts.MEIP : HartInterrupts.SEIP, on);
            }
        }
    }

    private static boolean bit(int[] words, int i) {
        return (words[i >> 5] & 1 << (i & 31)) != 0;
    }

    private static void set(int[] words, int i, boolean on) {
        if (on) {
            words[i >> 5] |= 1 << (i & 31);
        } else {
            words[i >> 5] &= ~(1 << (i & 31));
        }
    }
}
