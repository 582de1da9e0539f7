package dev.rivet.cpu;

import dev.rivet.mem.Page;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A test-only flat memory: a map from virtual page number to {@link Page}, each with its own read,
 * write and execute permissions. A missing page or a missing permission raises the access's page
 * fault through {@link Hart#raise}. Safe to share between harts on several host threads.
 */
final class TestMemory implements MemoryPort {
    static final int R = 1, W = 2, X = 4, RW = R | W, RX = R | X, RWX = R | W | X;

    private record Mapping(Page page, int perms) {}

    private final ConcurrentHashMap<Long, Mapping> pages = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    /** Pages (by number) whose next write translation replaces them with a copy, as after a fork. */
    private final java.util.Set<Long> copyOnWrite = ConcurrentHashMap.newKeySet();
    /** Called on every translation (a TLB miss), before permissions are checked; null for none. */
    volatile BiConsumer<Hart, Long> onTranslate;

    /** Maps every page touching [va, va + length) with {@code perms}, keeping existing contents. */
    TestMemory map(long va, long length, int perms) {
        for (long vpn = va >>> Page.SHIFT; vpn <= (va + length - 1) >>> Page.SHIFT; vpn++) {
            Mapping old = pages.get(vpn);
            pages.put(vpn, new Mapping(old == null ? new Page() : old.page(), perms));
        }
        if (length > 0) bumpMappingEpoch();
        return this;
    }

    /** Makes the page at {@code va} copy-on-write: its next write translation gets a private copy. */
    void copyOnWrite(long va) {
        copyOnWrite.add(va >>> Page.SHIFT);
    }

    void unmap(long va, long length) {
        for (long vpn = va >>> Page.SHIFT; vpn <= (va + length - 1) >>> Page.SHIFT; vpn++) pages.remove(vpn);
        bumpMappingEpoch();
    }

    Page page(long va) {
        Mapping m = pages.get(va >>> Page.SHIFT);
        if (m == null) throw new IllegalArgumentException("unmapped test address 0x" + Long.toHexString(va));
        return m.page();
    }

    /** Writes bytes directly (ignoring permissions), dropping any code decoded from the page. */
    void write(long va, int size, long value) {
        for (int b = 0; b < size; b++) {
            Page p = page(va + b);
            p.write((int) ((va + b) & Page.OFFSET_MASK), 1, value >>> (8 * b));
            p.invalidateCode();
        }
    }

    /** Reads bytes directly, little-endian, zero-extended. */
    long read(long va, int size) {
        long v = 0;
        for (int b = size - 1; b >= 0; b--) v = v << 8 | page(va + b).read((int) ((va + b) & Page.OFFSET_MASK), 1);
        return v;
    }

    @Override
    public Page translate(Hart hart, long vaddr, Access access) {
        BiConsumer<Hart, Long> hook = onTranslate;
        if (hook != null) hook.accept(hart, vaddr);
        Mapping m = pages.get(vaddr >>> Page.SHIFT);
        int need = switch (access) {
            case READ -> R;
            case WRITE -> W;
            case EXECUTE -> X;
        };
        if (m == null || (m.perms() & need) == 0) throw hart.raise(access.pageFault, vaddr);
        if (access == Access.WRITE && copyOnWrite.remove(vaddr >>> Page.SHIFT)) {
            Mapping copy = new Mapping(m.page().copy(), m.perms());
            pages.put(vaddr >>> Page.SHIFT, copy);
            return copy.page();
        }
        return m.page();
    }

    @Override
    public Page residentPage(long vaddr, Access access) {
        Mapping m = pages.get(vaddr >>> Page.SHIFT);
        int need = switch (access) {
            case READ -> R;
            case WRITE -> W;
            case EXECUTE -> X;
        };
        return m != null && (m.perms() & need) != 0 ? m.page() : null;
    }

    @Override
    public long mappingEpoch() {
        return epoch.get();
    }

    @Override
    public long bumpMappingEpoch() {
        return epoch.incrementAndGet();
    }
}
