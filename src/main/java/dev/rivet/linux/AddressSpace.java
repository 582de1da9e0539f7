package dev.rivet.linux;

import dev.rivet.cpu.Access;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.MemoryPort;
import dev.rivet.cpu.TlbShootdown;
import dev.rivet.mem.Page;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * The virtual memory of one guest process: its mappings ({@link Vma}) and the pages that back
 * them. Pages are made on first touch (a mapping costs nothing until used), shared copy-on-write
 * after fork, and read from the file for file mappings. All harts of the process (its threads)
 * share one address space. A change that drops or narrows what a hart may have cached (a page
 * unmapped, discarded, moved or copied on write; a permission taken away) bumps the epoch, and
 * takes effect on every hart before the thread that made it goes on ({@link #shootDown}).
 */
public final class AddressSpace implements MemoryPort {
    /** Top of user space: riscv64 Linux with Sv39 gives processes 256 GiB. */
    public static final long TASK_SIZE = 0x40_0000_0000L;
    /**
     * Where top-down mmap placement starts, below the stack and its guard gap: 265 MiB below the
     * top of user space, not 256. A process VM hart's data TLB is direct-mapped on the page number
     * (Hart.USER_TLB_SIZE entries, 32 MiB of pages), and a top that lay a multiple of 32 MiB below
     * the stack's put the first mappings (a malloc'ed buffer, the dynamic linker's data) on the
     * entries of the stack's top pages: sha256's 1 MiB buffer and its stack frame took one entry in
     * turn on every block of one of its pages, 26,503 accesses a run left translated code for the
     * interpreter to refill the entry; 507 with this top. 9 MiB lower (a stack's 8 MiB and a 1 MiB
     * gap), the first 23 MiB mapped share no entry with a stack of up to 8 MiB.
     */
    public static final long MMAP_TOP = 0x3f_ef70_0000L;
    static final long PAGE = Page.SIZE;

    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final Map<Long, Page> pages = new HashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    /** The harts that run in this address space (the threads of its processes). */
    private final Set<Hart> harts = ConcurrentHashMap.newKeySet();
    private final MemoryBudget budget;
    private long brkStart;
    private long brkEnd;

    public AddressSpace(MemoryBudget budget) {
        this.budget = budget;
    }

    static long pageDown(long a) {
        return a & ~(PAGE - 1);
    }

    static long pageUp(long a) {
        return (a + PAGE - 1) & ~(PAGE - 1);
    }

    // ---------------------------------------------------------------- the hart's slow path

    @Override
    public Page translate(Hart hart, long vaddr, Access access) {
        Page p = resolve(vaddr, access, hart);
        if (p == null) throw hart.raise(access.pageFault, vaddr);
        return p;
    }

    /** Records that {@code hart} runs in this address space (a new thread, or a process after execve). */
    void attach(Hart hart) {
        harts.add(hart);
    }

    void detach(Hart hart) {
        harts.remove(hart);
    }

    /**
     * Returns once every other hart of this address space has dropped the TLB entries a mapping
     * change made them stale (see TlbShootdown); {@code self} is the calling thread's hart, or null.
     * Called without this space's lock held: a hart being waited for may need it to fill an entry.
     */
    void shootDown(Hart self) {
        TlbShootdown.await(this, harts, self);
    }

    /** A change that made TLB entries stale: bumps the epoch; the system call that made it shoots them down on return. */
    private void mappingsChanged() {
        bumpMappingEpoch();
        GuestThread t = GuestThread.current();
        if (t != null) t.changedMappings = true;
    }

    @Override
    public long mappingEpoch() {
        return epoch.get();
    }

    @Override
    public long bumpMappingEpoch() {
        return epoch.incrementAndGet();
    }

    /**
     * The page at {@code va} ready for {@code access}, or null if unmapped or forbidden. A write to
     * a page shared copy-on-write gets a copy of its own, which the other harts must use from then
     * on: they drop the old page before this returns ({@code self}, the caller's hart, or null).
     */
    Page resolve(long va, Access access, Hart self) {
        Page p;
        boolean copied = false;
        synchronized (this) {
            p = pageFor(va, access);
            if (p != null && access == Access.WRITE) {
                copied = p.isShared() && !vmaAt(va).shared;
                if (copied) p = copyForWrite(va >>> Page.SHIFT, p);
                if (p.codeCache != null) p.invalidateCode();
            }
        }
        if (copied) shootDown(self);
        return p;
    }

    @Override
    public synchronized Page residentPage(long va, Access access) {
        return mappingAllowing(va, access) != null ? pages.get(va >>> Page.SHIFT) : null;
    }

    /** The mapping at {@code va} if it allows {@code access}; else null. */
    private Vma mappingAllowing(long va, Access access) {
        if (va < 0 || va >= TASK_SIZE) return null;
        Vma v = vmaAt(va);
        int need = switch (access) {
            case READ -> Vma.PROT_READ;
            case WRITE -> Vma.PROT_WRITE;
            case EXECUTE -> Vma.PROT_EXEC;
        };
        return v != null && v.allows(need) ? v : null;
    }

    /** The page at {@code va}, made on first touch, if a mapping allows {@code access} there; else null. */
    private Page pageFor(long va, Access access) {
        Vma v = mappingAllowing(va, access);
        if (v == null) return null;
        long vpn = va >>> Page.SHIFT;
        Page p = pages.get(vpn);
        if (p == null) {
            if (beyondEndOfFile(v, vpn << Page.SHIFT)) return null;
            p = materialize(v, vpn << Page.SHIFT);
            pages.put(vpn, p);
        }
        return p;
    }

    /** Replaces page {@code vpn}, shared since a fork, by a private copy; harts must drop the old one. */
    private Page copyForWrite(long vpn, Page shared) {
        budget.take();
        Page copy = shared.copy();
        shared.release();
        pages.put(vpn, copy);
        bumpMappingEpoch();
        return copy;
    }

    /** A file mapping's page that lies wholly past the end of its file: touching it is SIGBUS. */
    static boolean beyondEndOfFile(Vma v, long pageAddr) {
        if (v == null || v.file == null) return false;
        try {
            return v.fileOffsetOf(pageAddr) >= v.file.size();
        } catch (IOException e) {
            return false;
        }
    }

    private Page materialize(Vma v, long pageAddr) {
        if (v.fileKey != null) {
            return FilePages.INSTANCE.acquire(v.fileKey, v.fileOffsetOf(pageAddr) >>> Page.SHIFT, () -> load(v, pageAddr));
        }
        return load(v, pageAddr);
    }

    private Page load(Vma v, long pageAddr) {
        budget.take();
        Page p = new Page();
        if (v.file != null) {
            try {
                // The page's memory is a direct buffer's: the file is read straight into it.
                ByteBuffer dst = p.data.asByteBuffer();
                long pos = v.fileOffset + (pageAddr - v.start);
                while (dst.hasRemaining()) {
                    int n = v.file.read(dst, pos + dst.position());
                    if (n <= 0) break;
                }
            } catch (IOException e) {
                // A file that shrank or fails to read maps as zeros, as past-EOF pages do.
            }
        }
        return p;
    }

    Vma vmaAt(long va) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(va);
        return e != null && va < e.getValue().end ? e.getValue() : null;
    }

    // ---------------------------------------------------------------- mapping changes

    /** True if no mapping intersects {@code [start, end)}. */
    synchronized boolean isFree(long start, long end) {
        if (start < 0 || end > TASK_SIZE || end <= start) return false;
        Map.Entry<Long, Vma> below = vmas.lowerEntry(end);
        return below == null || below.getValue().end <= start;
    }

    /** Highest free range of {@code length} bytes below {@link #MMAP_TOP}, or -1. */
    synchronized long findFree(long length) {
        long candidateEnd = MMAP_TOP;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start >= candidateEnd) continue;
            if (v.end <= candidateEnd - length) return candidateEnd - length;
            candidateEnd = Math.min(candidateEnd, v.start);
        }
        return candidateEnd - length >= PAGE * 16 ? candidateEnd - length : -1;
    }

    /** Maps {@code [start, start+length)} (page-aligned), replacing whatever was there. */
    synchronized void map(long start, long length, int prot, boolean shared, FileChannel file, long offset, String name) {
        map(start, length, prot, shared, file, offset, null, name);
    }

    /** As above; {@code fileKey} identifies the host file of a shared file mapping (see {@link FilePages}). */
    synchronized void map(long start, long length, int prot, boolean shared, FileChannel file, long offset,
                          Object fileKey, String name) {
        unmap(start, length);
        // Writable mappings are readable on RISC-V (W without R is a reserved PTE encoding).
        if ((prot & Vma.PROT_WRITE) != 0) prot |= Vma.PROT_READ;
        vmas.put(start, new Vma(start, start + length, prot, shared, file, offset, shared ? fileKey : null, name));
    }

    /** Removes mappings and pages in the range. */
    synchronized void unmap(long start, long length) {
        long end = start + length;
        splitAt(start);
        splitAt(end);
        boolean dropped = false;
        for (Vma v : new ArrayList<>(vmas.subMap(start, end).values())) {
            vmas.remove(v.start);
            dropped |= dropPages(v.start, v.end, v);
        }
        if (dropped) mappingsChanged();
    }

    /** Drops the pages of {@code [start, end)}; true if there were any (a hart may have cached them). */
    private boolean dropPages(long start, long end, Vma v) {
        boolean any = false;
        for (long vpn : residentPages(start, end)) {
            long a = vpn << Page.SHIFT;
            Page p = pages.remove(vpn);
            any = true;
            Vma owner = v != null ? v : vmaAt(a);
            if (owner != null && owner.fileKey != null) {
                writeBack(owner, a, p);
                FilePages.INSTANCE.release(owner.fileKey, owner.fileOffsetOf(a) >>> Page.SHIFT, p);
                continue;
            }
            // A page counts against the budget once, however many mappings hold it: the last gives it back.
            if (!p.isShared()) budget.give();
            p.release();
        }
        return any;
    }

    /** Splits the mapping that straddles {@code at}, so a range operation can work on whole mappings. */
    private void splitAt(long at) {
        Vma v = vmaAt(at);
        if (v == null || v.start == at) return;
        vmas.put(v.start, v.slice(v.start, at));
        vmas.put(at, v.slice(at, v.end));
    }

    /** Changes protection of every mapping in the range; false if part of it is unmapped. */
    synchronized boolean protect(long start, long length, int prot) {
        long end = start + length;
        if (!isCovered(start, end)) return false;
        splitAt(start);
        splitAt(end);
        if ((prot & Vma.PROT_WRITE) != 0) prot |= Vma.PROT_READ;
        boolean narrowed = false;
        for (Vma v : new ArrayList<>(vmas.subMap(start, end).values())) {
            // A permission added needs no flush: no TLB entry can have been made without it.
            narrowed |= (v.prot & ~prot) != 0 && hasPages(v.start, v.end);
            vmas.put(v.start, v.withProt(prot));
        }
        if (narrowed) mappingsChanged();
        return true;
    }

    /** Whether any page of {@code [start, end)} is in memory (only those can be in a TLB). */
    private boolean hasPages(long start, long end) {
        return residentPages(start, end).length > 0;
    }

    /**
     * The numbers of the pages in memory that {@code [start, end)} touches ({@code start} page
     * aligned), in order, found by walking whichever is shorter: the range or the pages in memory.
     * A Go program reserves arenas of many megabytes and unmaps or discards them whole: a walk of
     * every page number of such a range took 6 % of its threads' time (a map lookup, with a boxed
     * key, per page).
     */
    private long[] residentPages(long start, long end) {
        long first = start >>> Page.SHIFT, last = (end + PAGE - 1) >>> Page.SHIFT;
        if (last - first > pages.size()) {
            return pages.keySet().stream().mapToLong(Long::longValue).filter(vpn -> vpn >= first && vpn < last)
                    .sorted().toArray();
        }
        LongStream.Builder found = LongStream.builder();
        for (long vpn = first; vpn < last; vpn++) if (pages.containsKey(vpn)) found.add(vpn);
        return found.build().toArray();
    }

    synchronized boolean isCovered(long start, long end) {
        long a = start;
        while (a < end) {
            Vma v = vmaAt(a);
            if (v == null) return false;
            a = v.end;
        }
        return true;
    }

    /** Moves the mappings and pages of {@code [from, from+length)} to {@code to} (mremap). */
    synchronized void move(long from, long length, long to) {
        splitAt(from);
        splitAt(from + length);
        List<Vma> moving = new ArrayList<>(vmas.subMap(from, from + length).values());
        Map<Long, Page> movingPages = new HashMap<>();
        for (long vpn : residentPages(from, from + length)) {
            long a = vpn << Page.SHIFT;
            movingPages.put((a - from + to) >>> Page.SHIFT, pages.remove(vpn));
        }
        for (Vma v : moving) vmas.remove(v.start);
        unmap(to, length);
        for (Vma v : moving) vmas.put(v.start - from + to, v.movedTo(v.start - from + to, v.end - from + to));
        pages.putAll(movingPages);
        if (!movingPages.isEmpty()) mappingsChanged();
    }

    /** MADV_DONTNEED: private pages read back as zeros (or file contents) on next touch. */
    synchronized void discard(long start, long length) {
        boolean dropped = false;
        for (long vpn : residentPages(start, start + length)) {
            Vma v = vmaAt(vpn << Page.SHIFT);
            if (v == null || v.shared) continue;
            Page p = pages.remove(vpn);
            if (!p.isShared()) budget.give();
            p.release();
            dropped = true;
        }
        if (dropped) mappingsChanged();
    }

    synchronized boolean isResident(long va) {
        return pages.containsKey(va >>> Page.SHIFT);
    }

    /** msync: writes the shared file mappings' pages in the range back to their files. */
    synchronized void sync(long start, long length) {
        for (long a = pageDown(start); a < start + length; a += PAGE) {
            Vma v = vmaAt(a);
            Page p = pages.get(a >>> Page.SHIFT);
            if (v != null && p != null && v.shared && v.file != null) writeBack(v, a, p);
        }
    }

    /** Writes every shared file mapping back (at exit and exec). */
    synchronized void syncAll() {
        for (Vma v : vmas.values()) if (v.shared && v.file != null) sync(v.start, v.end - v.start);
    }

    private static void writeBack(Vma v, long pageAddr, Page p) {
        try {
            long pos = v.fileOffset + (pageAddr - v.start);
            long size = v.file.size();
            if (pos >= size) return;
            // Straight from the page's memory, as load reads into it.
            ByteBuffer src = p.data.asSlice(0, Math.min(PAGE, size - pos)).asByteBuffer();
            while (src.hasRemaining()) v.file.write(src, pos + src.position());
        } catch (IOException e) {
            // The file went away: as on Linux, the data stays only in memory.
        }
    }

    // ---------------------------------------------------------------- fork, brk

    /** A copy-on-write copy for a child process: private pages are shared until either side writes. */
    synchronized AddressSpace forkCopy() {
        AddressSpace child = new AddressSpace(budget);
        child.vmas.putAll(vmas);
        for (Map.Entry<Long, Page> e : pages.entrySet()) {
            // Both processes hold the page now: shared mappings keep writing to it in place, private
            // ones copy it on their next write (resolve checks the mapping kind).
            child.pages.put(e.getKey(), e.getValue().share());
        }
        child.brkStart = brkStart;
        child.brkEnd = brkEnd;
        // This process's harts may hold write entries for pages that must be copied on write now.
        mappingsChanged();
        return child;
    }

    /** Drops every mapping (exec, exit). */
    synchronized void clear() {
        syncAll();
        for (Vma v : new ArrayList<>(vmas.values())) dropPages(v.start, v.end, null);
        vmas.clear();
        mappingsChanged();
    }

    synchronized void setBrk(long start) {
        brkStart = brkEnd = start;
    }

    /** brk(2): moves the program break when the new range is free; returns the break in effect. */
    synchronized long brk(long wanted) {
        if (wanted < brkStart) return brkEnd;
        long oldTop = pageUp(brkEnd), newTop = pageUp(wanted);
        if (newTop > oldTop) {
            if (!isFree(oldTop, newTop)) return brkEnd;
            map(oldTop, newTop - oldTop, Vma.PROT_READ | Vma.PROT_WRITE, false, null, 0, "[heap]");
        } else if (newTop < oldTop) {
            unmap(newTop, oldTop - newTop);
        }
        brkEnd = wanted;
        return brkEnd;
    }

    /** Drops all decoded code (riscv_flush_icache): stores that bypassed the slow path become visible. */
    synchronized void invalidateAllCode() {
        for (Page p : pages.values()) p.invalidateCode();
        mappingsChanged();
    }

    synchronized List<Vma> mappings() {
        return new ArrayList<>(vmas.values());
    }
}
