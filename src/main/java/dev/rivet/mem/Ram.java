package dev.rivet.mem;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A machine's RAM: a contiguous range of physical addresses backed by pages made on first touch,
 * so a guest that never writes most of its memory costs little host memory (overcommit).
 */
public final class Ram {
    public final long base;
    public final long size;
    private final AtomicReferenceArray<Page> pages;

    public Ram(long base, long size) {
        if ((base & Page.OFFSET_MASK) != 0 || (size & Page.OFFSET_MASK) != 0 || size <= 0) {
            throw new IllegalArgumentException("RAM must be whole pages");
        }
        if ((size >>> Page.SHIFT) > Integer.MAX_VALUE) throw new IllegalArgumentException("RAM too large");
        this.base = base;
        this.size = size;
        this.pages = new AtomicReferenceArray<>((int) (size >>> Page.SHIFT));
    }

    public boolean contains(long pa) {
        return pa - base >= 0 && pa - base < size;
    }

    /** The page holding {@code pa} (made now if never touched), or null outside RAM. */
    public Page page(long pa) {
        long off = pa - base;
        if (off < 0 || off >= size) return null;
        int i = (int) (off >>> Page.SHIFT);
        Page p = pages.get(i);
        if (p != null) return p;
        Page fresh = new Page();
        return pages.compareAndSet(i, null, fresh) ? fresh : pages.get(i);
    }

    /** Copies {@code bytes} into RAM at {@code pa} (boot images). */
    public void write(long pa, byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            long a = pa + done;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(bytes.length - done, Page.SIZE - inPage);
            Page p = page(a);
            if (p == null) throw new IllegalArgumentException("address 0x" + Long.toHexString(a) + " is outside RAM");
            p.copyIn(bytes, done, inPage, n);
            p.invalidateCode();
            done += n;
        }
    }

    /** Copies {@code length} bytes out of RAM at {@code pa}. */
    public byte[] read(long pa, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long a = pa + done;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(length - done, Page.SIZE - inPage);
            Page p = page(a);
            if (p == null) throw new IllegalArgumentException("address 0x" + Long.toHexString(a) + " is outside RAM");
            p.copyOut(inPage, out, done, n);
            done += n;
        }
        return out;
    }

    /**
     * Drops the page holding {@code pa} so it holds no host memory until touched again, when it
     * reads as zeros (a balloon gives such pages back). Harts may still hold the old page in their
     * TLBs: the caller must make them flush (the memory port's mapping epoch) before the guest can
     * reach the page again. Returns whether a page was dropped; addresses outside RAM are ignored.
     */
    public boolean release(long pa) {
        long off = pa - base;
        if (off < 0 || off >= size) return false;
        int i = (int) (off >>> Page.SHIFT);
        Page old = pages.getAndSet(i, null);
        if (old != null) old.invalidateCode();
        return old != null;
    }

    /** Pages that have been touched (and so hold host memory). */
    public long residentPages() {
        long n = 0;
        for (int i = 0; i < pages.length(); i++) if (pages.get(i) != null) n++;
        return n;
    }
}
