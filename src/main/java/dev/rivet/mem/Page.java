package dev.rivet.mem;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One 4 KiB page of guest memory: the unit of mapping, sharing and copy-on-write.
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

    /**
     * The page's bytes, little-endian as the guest sees them. Loads and stores of the CPU use them
     * directly through {@link Bytes}' array views (one bounds check, no segment checks), and so do
     * the atomic operations: the views allow atomic access modes at naturally aligned offsets.
     */
    public final byte[] bytes;
    /** The same bytes as a segment (a view of {@link #bytes}), for devices and system calls. */
    public final MemorySegment data;
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
    public volatile Object jitCache;

    public Page() {
        this(new byte[SIZE]);
    }

    private Page(byte[] bytes) {
        this.bytes = bytes;
        this.data = MemorySegment.ofArray(bytes);
    }

    /** A private copy of this page's contents, held once. */
    public Page copy() {
        return new Page(bytes.clone());
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
        jitCache = null;
    }
}
