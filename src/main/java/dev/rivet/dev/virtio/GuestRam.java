package dev.rivet.dev.virtio;

import dev.rivet.mem.Page;
import dev.rivet.mem.Ram;

/**
 * A device's view of guest RAM for DMA: little-endian loads and stores and bulk copies at guest
 * physical addresses, each checked to lie wholly inside RAM ({@link DriverError} otherwise), so a
 * device can never touch host memory outside the guest's. Stores drop decoded code of the pages
 * they change, as the guest may execute what a device wrote (after its own fence.i).
 */
public final class GuestRam {
    private final Ram ram;
    private final Runnable mappingsChanged;

    /** Guest RAM without harts to tell about released pages (tests). */
    public GuestRam(Ram ram) {
        this(ram, () -> { });
    }

    /**
     * @param ram             the guest's RAM
     * @param mappingsChanged makes every hart drop cached page mappings (after {@link #release})
     */
    public GuestRam(Ram ram, Runnable mappingsChanged) {
        this.ram = ram;
        this.mappingsChanged = mappingsChanged;
    }

    /**
     * Gives the host memory of the pages holding {@code pas[0..count)} back (a balloon inflating):
     * each then costs nothing until touched again, and reads as zeros. Addresses outside RAM are
     * ignored. Returns how many pages held memory.
     */
    public int release(long[] pas, int count) {
        int freed = 0;
        for (int i = 0; i < count; i++) if (ram.release(pas[i])) freed++;
        // Harts may still map the old pages in their TLBs: make them drop those entries.
        mappingsChanged.run();
        return freed;
    }

    public Ram ram() {
        return ram;
    }

    /** Whether {@code [pa, pa + length)} lies inside RAM (length may be 0). */
    public boolean contains(long pa, long length) {
        long off = pa - ram.base;
        return length >= 0 && Long.compareUnsigned(pa, ram.base) >= 0 && off >= 0 && off <= ram.size
                && length <= ram.size - off;
    }

    /** Throws {@link DriverError} unless {@code [pa, pa + length)} lies inside RAM. */
    public void check(long pa, long length, String what) {
        if (!contains(pa, length)) {
            throw new DriverError("%s at 0x%x (+%d bytes) is outside guest RAM".formatted(what, pa, length));
        }
    }

    /** Reads {@code size} bytes (1, 2, 4 or 8) at {@code pa}, zero-extended. */
    public long load(long pa, int size) {
        check(pa, size, "load");
        int off = (int) (pa & Page.OFFSET_MASK);
        if (off <= Page.SIZE - size) return ram.page(pa).read(off, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | load(pa + i, 1);
        return v;
    }

    /** Writes the low {@code size} bytes of {@code value} at {@code pa}. */
    public void store(long pa, int size, long value) {
        check(pa, size, "store");
        int off = (int) (pa & Page.OFFSET_MASK);
        if (off <= Page.SIZE - size) {
            Page p = ram.page(pa);
            if (p.codeCache != null) p.invalidateCode();
            p.write(off, size, value);
            return;
        }
        for (int i = 0; i < size; i++) store(pa + i, 1, value >>> (8 * i));
    }

    /** Copies {@code len} bytes of RAM at {@code pa} into {@code dst[dstOff..]}. */
    public void read(long pa, byte[] dst, int dstOff, int len) {
        check(pa, len, "read");
        int done = 0;
        while (done < len) {
            long a = pa + done;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(len - done, Page.SIZE - inPage);
            ram.page(a).copyOut(inPage, dst, dstOff + done, n);
            done += n;
        }
    }

    /** Copies {@code src[srcOff..srcOff+len)} into RAM at {@code pa}. */
    public void write(long pa, byte[] src, int srcOff, int len) {
        check(pa, len, "write");
        int done = 0;
        while (done < len) {
            long a = pa + done;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(len - done, Page.SIZE - inPage);
            Page p = ram.page(a);
            if (p.codeCache != null) p.invalidateCode();
            p.copyIn(src, srcOff + done, inPage, n);
            done += n;
        }
    }
}
