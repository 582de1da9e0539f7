package dev.rivet.mem;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One 4 KiB page of guest memory: the unit of mapping, sharing and copy-on-write.
 *
 * <p>The bytes live outside the Java heap, at a fixed host address ({@link #address}), so that a
 * software TLB entry can hold that address as a plain long: translated code then reaches guest
 * memory with one array read and one host load, without a page reference to check and decode
 * (see {@code cpu.TlbSet}). The memory is freed when the page becomes unreachable; whatever keeps
 * an address of it also keeps the page (a TLB keeps its entries' pages beside the addresses).
 *
 * <p>A page may be referenced by several mappings (after fork, from a snapshot, after merging
 * identical pages). While more than one mapping holds it, it must be copied before it is written;
 * {@link #isShared()} tells the slow store path when. A page that holds decoded or translated
 * guest code carries that cache in {@link #codeCache}; a store through the slow path drops it.
 */
public final class Page {
    public static final int SHIFT = 12;
    public static final int SIZE = 1 << SHIFT;
    public static final long OFFSET_MASK = SIZE - 1;
    /** Host alignment of a page: natural alignment for every guest access (8 bytes at most). */
    private static final int ALIGNMENT = 8;

    /** The page's bytes, little-endian as the guest sees them, for devices and system calls. */
    public final MemorySegment data;
    /** The host address of {@link #data}'s first byte; valid while this page is reachable. */
    public final long address;
    private final AtomicInteger holders = new AtomicInteger(1);
    /**
     * Decoded instructions (owned by the CPU), or null. Stores never reach this page through a
     * write TLB entry while it is set, so every store to code goes through the slow path.
     */
    public volatile Object codeCache;
    /**
     * Translated code made from this page's instructions (owned by the translator), or null.
     * Valid only while {@link #codeCache} is the decoded array it was made with; dropped with it.
     */
    public volatile Translations jitCache;

    /** Translated code kept with a page, told when the page's instructions change. */
    public interface Translations {
        /** None of it may be entered again: the instructions it was made from are gone. */
        void discard();
    }

    /** A page of zeros. */
    public Page() {
        // A direct buffer per page: its memory goes when the page does (the segment keeps the
        // buffer reachable), and allocations count against the JVM's direct-memory limit, which
        // collects unreachable pages when reached. Arena.ofAuto() would do the same, but zeroes
        // its memory in a Java loop that runs interpreted while the JVM is cold: a boot, which
        // allocates most of its pages in its first second, spent 65 ms on 3,800 pages so.
        // glibc's malloc rounds a block of this size up past the extra bytes, which align the page.
        MemorySegment block = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(SIZE + ALIGNMENT));
        long skip = -block.address() & (ALIGNMENT - 1);
        data = block.asSlice(skip, SIZE);
        address = data.address();
    }

    /** A private copy of this page's contents, held once. */
    public Page copy() {
        Page copy = new Page();
        MemorySegment.copy(data, 0, copy.data, 0, SIZE);
        return copy;
    }

    /** Reads {@code size} bytes (1, 2, 4 or 8) at {@code off}, zero-extended; throws if they are not all on the page. */
    public long read(int off, int size) {
        long v = HostMemory.read(address + checked(off, size), size);
        Reference.reachabilityFence(this);
        return v;
    }

    /** Writes the low {@code size} bytes (1, 2, 4 or 8) of {@code value} at {@code off}; throws as {@link #read} does. */
    public void write(int off, int size, long value) {
        HostMemory.write(address + checked(off, size), size, value);
        Reference.reachabilityFence(this);
    }

    /** Copies {@code length} bytes at {@code off} into {@code dst} from {@code dstOff}; throws unless all lie within the page and the array. */
    public void copyOut(int off, byte[] dst, int dstOff, int length) {
        java.util.Objects.checkFromIndexSize(dstOff, length, dst.length);
        HostMemory.copyToArray(address + checked(off, length), dst, dstOff, length);
        Reference.reachabilityFence(this);
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcOff} to {@code off}; throws as {@link #copyOut} does. */
    public void copyIn(byte[] src, int srcOff, int off, int length) {
        java.util.Objects.checkFromIndexSize(srcOff, length, src.length);
        HostMemory.copyFromArray(src, srcOff, address + checked(off, length), length);
        Reference.reachabilityFence(this);
    }

    private static int checked(int off, int size) {
        if (off < 0 || size < 0 || off > SIZE - size) throw new IndexOutOfBoundsException("page offset " + off + " size " + size);
        return off;
    }

    /** Records one more mapping that holds this page copy-on-write. */
    public Page share() {
        holders.incrementAndGet();
        return this;
    }

    /** Records that one mapping dropped this page. */
    public void release() {
        holders.decrementAndGet();
    }

    /** True while more than one mapping holds this page, so a store must copy it first. */
    public boolean isShared() {
        return holders.get() > 1;
    }

    /** Drops cached code, as required before its bytes change. */
    public void invalidateCode() {
        codeCache = null;
        dropTranslations();
    }

    /** Drops the translated code made from this page's instructions (fence.i keeps the decoded slots' array). */
    public void dropTranslations() {
        Translations dropped = jitCache;
        jitCache = null;
        if (dropped != null) dropped.discard();
    }
}
