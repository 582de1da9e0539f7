package dev.rivet.cpu;

import dev.rivet.mem.AtomicBytes;
import dev.rivet.mem.HostMemory;
import dev.rivet.mem.Page;
import java.lang.invoke.VarHandle;

/**
 * One RISC-V hardware thread: its architectural state and its path to memory through per-access
 * software TLBs (read, write, fetch), each a pair of plain arrays indexed by virtual page number.
 *
 * <p>A page that is shared copy-on-write or that holds decoded code is never entered in the write
 * TLB, so the first store to it takes the slow path, which copies it or drops its decoded code.
 */
public final class Hart {
    /**
     * Data TLB entries: a process VM hart gets 8192 (32 MiB of pages; programs striding through
     * large arrays would miss a small TLB all the time); a system VM hart 256 for S- and M-mode and
     * 4096 for U-mode. The TLB is direct-mapped, and with 256 entries two pages a user program's
     * loop uses on every trip shared an entry often enough (about one boot in ten, at the
     * addresses the guest's randomized layout gave) that every access of that loop left translated
     * code to refill it: an in-guest sha256sum then made 17 million such exits instead of 0.35
     * million and took 14.8 s instead of 2.3 s. The kernel's sets stay small: with 4096 entries
     * for every mode, boots took 3.06 s against 2.81 s (slower in 6 of 8 alternating boots). A
     * flush clears only the entries filled since the last one (TlbSet), so satp writes stay cheap.
     */
    public static final int USER_TLB_SIZE = 8192;
    static final int SYSTEM_TLB_SIZE = 256, SYSTEM_USER_TLB_SIZE = 4096;
    /**
     * Fetch TLB entries: code pages recently executed from, so that a jump to another page (a
     * call, a return) finds its page without a page-table walk.
     */
    static final int FETCH_TLB_SIZE = 256;
    static final long NO_PAGE = -1L;
    /** Slots of decoded code per page: one per possible instruction start (every 2 bytes). */
    static final int SLOTS = Page.SIZE / 2;

    public final int id;
    /** Integer registers; x[0] is forced back to zero after every instruction. */
    public final long[] x = new long[32];
    /** Floating-point registers as raw bits; single-precision values are NaN-boxed. */
    public final long[] f = new long[32];
    public long pc;
    /** Accrued floating-point exception flags (fcsr bits 4:0). */
    public int fflags;
    /** Dynamic rounding mode (fcsr bits 7:5). */
    public int frm;
    /** Instructions retired. */
    public long instret;

    /** When set, exceptions and ecalls stop the hart instead of trapping to a privileged mode. */
    public final boolean userOnly;
    public MemoryPort memory;
    public final Clock clock;

    /** Privilege mode and machine/supervisor CSRs (used when not {@link #userOnly}). */
    public final MachineState machine = new MachineState();
    /**
     * Set by a {@link MemoryPort} during translation: the physical address of a device access (when
     * translate returns null), and whether the translation may be kept in a TLB.
     */
    public long devicePhysical;
    public boolean translationCacheable = true;
    /**
     * Set by the MMU during translation: the offset bits of the page that mapped the address
     * (4095 for a 4 KiB page, more for a superpage), so that {@code sfence.vma} of one address
     * can drop every TLB entry made from that superpage.
     */
    public long translatedSpan = Page.OFFSET_MASK;
    /** Set by the MMU during translation: whether the page that mapped the address is a U page. */
    public boolean translatedUser;

    /** Set by {@link #raise}: the exception cause and trap value of the instruction being abandoned. */
    public int trapCause;
    public long trapValue;

    /**
     * The TLB sets, by privilege mode (see {@link TlbSet}): a process VM hart has only the user
     * set; a system VM hart one each for U, S and M.
     */
    private final TlbSet[] tlbs = new TlbSet[4];
    private TlbSet currentTlb;
    // The read and write entries and stream slots of the current mode's set (TlbSet.table, laid
    // out as TlbTable says). Tags are page addresses (va with the offset bits clear); NO_PAGE (all
    // bits set) marks an empty entry and matches no page address. Translated code reads the table
    // (through JitAccess) when a region starts: a region never runs across a change of mode,
    // which only a trap or an xRET makes, and both leave translated code.
    byte[] tlbTable;
    private long[] fetchTag;
    private Page[] fetchPages;
    // The current set's jump cache (see JumpCache), null without translated code.
    JumpCache jumps;
    long[] jumpPcs;
    Object[] jumpTargets;
    /** The count of installed translations the jump caches were last cleared at (see syncJumpCaches). */
    private long jumpCachesSeen;
    /** The current set's index mask (its number of read entries - 1). */
    private int tlbMask;
    /** The memory's mapping epoch this hart's TLBs are up to date with (read by {@link TlbShootdown}). */
    private volatile long seenEpoch;
    /**
     * True while the hart runs guest code (inside {@link Interpreter#run}), when it may use its TLB
     * entries without looking at the memory's epoch first ({@link TlbShootdown} waits for such harts).
     */
    volatile boolean inGuestCode;

    // The page instructions are currently fetched from, and its decoded slots.
    long fetchVpn = NO_PAGE;
    long[] fetchCode;
    /** The page {@link #fetchCode} belongs to (translated code is kept with it). */
    Page fetchPage;

    // Load-reserved address and the value it loaded (store-conditional compares and swaps it).
    private long reservedAddress = NO_PAGE;
    private long reservedValue;

    /**
     * A debugger's or tracer's view of this hart, or null. Every execution engine honours it as
     * {@link DebugHook} describes.
     */
    public volatile DebugHook debugHook;

    private volatile boolean stopRequested;
    /**
     * Translated code to run instead of interpreting, or null (interpreter only). Set once, before
     * the hart first runs.
     */
    public CompiledCode compiled;
    /** Instructions retired in translated code during the current slice (see CompiledCode.endSlice). */
    public long translatedRetired;
    /** Calls of translated regions during the current slice (see CompiledCode.endSlice). */
    public long regionCalls;
    /** Guest calls translated code ran nested and that returned to it, during the current slice (see CompiledCode.endSlice). */
    public long nestedCalls;
    /** Memory accesses translated code left to the interpreter during the current slice (see CompiledCode.endSlice). */
    public long memoryExits;
    /**
     * The budget the running translated region was called with, as its result counts it: a call
     * it makes through the translator (a guest function's call, run nested) takes the
     * instructions retired so far into {@link #instret} and sets this to what is left.
     */
    public int regionLimit;
    /** How many guest calls translated code is running nested, one inside the other. */
    public int callDepth;
    /**
     * Set while a debugger has breakpoints, watchpoints or single-stepping active on this hart:
     * translated code is then not used, so every instruction passes through the interpreter.
     * Changed only while the hart is stopped.
     */
    public boolean debugActive;
    /** Something outside the instruction stream needs a look: a stop request or a change of pending interrupts. */
    volatile boolean attention;

    public Hart(int id, MemoryPort memory, Clock clock, boolean userOnly) {
        this.id = id;
        this.memory = memory;
        this.clock = clock;
        this.userOnly = userOnly;
        if (userOnly) {
            tlbs[MachineState.PRV_U] = new TlbSet(USER_TLB_SIZE, FETCH_TLB_SIZE);
        } else {
            tlbs[MachineState.PRV_U] = new TlbSet(SYSTEM_USER_TLB_SIZE, FETCH_TLB_SIZE);
            tlbs[MachineState.PRV_S] = new TlbSet(SYSTEM_TLB_SIZE, FETCH_TLB_SIZE);
            tlbs[MachineState.PRV_M] = new TlbSet(SYSTEM_TLB_SIZE, FETCH_TLB_SIZE);
        }
        selectTlb(userOnly ? MachineState.PRV_U : machine.priv);
        seenEpoch = memory.mappingEpoch();
    }

    /** Copies the user-visible registers of {@code other} (a new thread or forked process starts so). */
    public void copyRegistersFrom(Hart other) {
        System.arraycopy(other.x, 0, x, 0, 32);
        System.arraycopy(other.f, 0, f, 0, 32);
        pc = other.pc;
        fflags = other.fflags;
        frm = other.frm;
    }

    /**
     * In the system VM, floating-point state exists only while mstatus.FS is not Off (illegal
     * instruction otherwise), and any change to it marks FS Dirty so the kernel saves it.
     */
    public void requireFloatingPoint(boolean dirty) {
        if (userOnly) return;
        long fs = machine.mstatus & MachineState.FS;
        if (fs == 0) throw raise(Cause.ILLEGAL_INSTRUCTION, 0);
        if (dirty && fs != MachineState.FS_DIRTY) machine.mstatus |= MachineState.FS_DIRTY;
    }

    /** Abandons the current instruction with an exception. */
    public RuntimeException raise(int cause, long value) {
        trapCause = cause;
        trapValue = value;
        throw Trap.INSTANCE;
    }

    /** Asks the hart to return from {@link Interpreter#run} at the next instruction boundary. */
    public void requestStop() {
        stopRequested = true;
        attention = true;
    }

    /** Makes the interpreter re-examine pending interrupts at its next jump (after mip or mie changed). */
    public void attention() {
        attention = true;
    }

    boolean takeStopRequest() {
        if (!stopRequested) return false;
        stopRequested = false;
        return true;
    }

    // ---------------------------------------------------------------- TLB maintenance

    /** Drops every entry of every mode's TLBs, and the fetch page (mapping changes, fence.i, satp writes). */
    public void flushTlb() {
        for (TlbSet set : tlbs) {
            if (set != null) set.flush();
        }
        forgetFetchPage();
    }

    /**
     * Drops what clearing mstatus.SUM denies: the entries for U pages in the sets of the modes
     * above U (S-mode, and M-mode with MPRV lending S). U-mode's own entries, and the kernel's
     * entries for its own pages, stay right. (Linux sets and clears SUM around every copy from
     * or to user memory.)
     */
    void dropUserPagesAboveU() {
        for (int priv = MachineState.PRV_S; priv < tlbs.length; priv++) {
            if (tlbs[priv] != null) tlbs[priv].dropUserPages();
        }
    }

    /**
     * {@code sfence.vma} of one address: drops the entries for the page at {@code va} in every
     * mode's set (all of a set's entries if {@code va} may lie in a superpage it cached).
     */
    public void flushTlbPage(long va) {
        for (TlbSet set : tlbs) {
            if (set != null) set.flushPage(va);
        }
        forgetFetchPage();
    }

    /** Makes {@code priv}'s TLB set the current one (on a change of privilege mode). */
    void selectTlb(int priv) {
        TlbSet set = tlbs[priv];
        currentTlb = set;
        tlbMask = set.readPages.length - 1;
        tlbTable = set.table;
        fetchTag = set.fetchTag;
        fetchPages = set.fetchPages;
        jumps = set.jumps;
        jumpPcs = set.jumps == null ? null : set.jumps.pcs;
        jumpTargets = set.jumps == null ? null : set.jumps.targets;
        // The fetch page was checked for execution at the old mode's privilege.
        forgetFetchPage();
    }

    /** Records that the translation just cached for {@code va} came from a superpage, if it did. */
    private void noteFill(long va) {
        if (translatedSpan != Page.OFFSET_MASK) currentTlb.noteSuperpage(va, translatedSpan);
    }

    /**
     * Records read or write entry {@code i}, just filled for {@code va}: for the next flush, and
     * as a U page cached for a mode above U (which clearing SUM denies) if it is one.
     */
    private void noteDataFill(long va, int i) {
        noteFill(va);
        currentTlb.noteFilled(i);
        if (translatedUser && machine.priv != MachineState.PRV_U) currentTlb.noteUserPage(i);
    }

    /** Resets what the memory's translation reports back (cacheable, superpage, U page) before one. */
    private void startTranslation() {
        translationCacheable = true;
        translatedSpan = Page.OFFSET_MASK;
        translatedUser = false;
    }

    private void forgetFetchPage() {
        fetchVpn = NO_PAGE;
        fetchCode = null;
        fetchPage = null;
    }

    /** Flushes the TLBs if the memory's mappings changed since the last check. */
    public void syncWithMemory() {
        long epoch = memory.mappingEpoch();
        if (epoch != seenEpoch) {
            flushTlb();
            seenEpoch = epoch;
        }
    }

    /** Whether this hart may still use TLB entries made before {@code epoch} of its memory without looking again. */
    boolean mayHoldEntriesBefore(long epoch) {
        return inGuestCode && seenEpoch < epoch;
    }

    /** Makes the hart use {@code next} (a process's new address space after execve), with empty TLBs. */
    public void switchMemory(MemoryPort next) {
        memory = next;
        flushTlb();
        seenEpoch = next.mappingEpoch();
    }

    // ---------------------------------------------------------------- loads and stores

    /**
     * The {@code Unsafe} offset in {@link #tlbTable} of the entry for the page of {@code va}: its
     * index is masked with the set's size, so the offset lies within the table.
     */
    private long entryAt(long va) {
        return TlbTable.entryAt((int) (va >>> Page.SHIFT) & tlbMask);
    }

    /** Loads {@code size} bytes (1, 2, 4, 8) at {@code va}, zero-extended. */
    public long load(long va, int size) {
        int off = (int) va & (int) Page.OFFSET_MASK;
        long at = entryAt(va) + TlbTable.READ;
        byte[] table = tlbTable;
        if (TlbTable.longAt(table, at) == (va & ~Page.OFFSET_MASK) && off <= Page.SIZE - size) {
            return HostMemory.read(TlbTable.longAt(table, at + 8) + va, size);
        }
        return loadSlow(va, size);
    }

    /** Stores the low {@code size} bytes of {@code value} at {@code va}. */
    public void store(long va, int size, long value) {
        int off = (int) va & (int) Page.OFFSET_MASK;
        long at = entryAt(va) + TlbTable.WRITE;
        byte[] table = tlbTable;
        if (TlbTable.longAt(table, at) == (va & ~Page.OFFSET_MASK) && off <= Page.SIZE - size) {
            HostMemory.write(TlbTable.longAt(table, at + 8) + va, size, value);
            return;
        }
        storeSlow(va, size, value);
    }

    private long loadSlow(long va, int size) {
        int off = (int) va & (int) Page.OFFSET_MASK;
        if (off > Page.SIZE - size) {
            // Crosses a page boundary: assemble it byte by byte, each byte through the TLB, in
            // address order, so a fault reports the start of the part that faulted: va, or the
            // next page's first byte (machine.adoc, "Machine Trap Value Register": "the virtual
            // address of the portion of the access that caused the fault").
            long v = 0;
            for (int b = 0; b < size; b++) v |= load(va + b, 1) << (8 * b);
            return v;
        }
        startTranslation();
        Page page = memory.translate(this, va, Access.READ, size);
        if (page == null) return memory.readDevice(this, devicePhysical, size);
        if (translationCacheable) {
            long vpn = va >>> Page.SHIFT;
            int i = (int) vpn & tlbMask;
            currentTlb.fillRead(i, vpn << Page.SHIFT, page);
            noteDataFill(va, i);
        }
        return page.read(off, size);
    }

    private void storeSlow(long va, int size, long value) {
        int off = (int) va & (int) Page.OFFSET_MASK;
        if (off > Page.SIZE - size) {
            // Check both pages are writable before changing either, so a fault leaves memory intact;
            // a fault on the second page reports its first byte (see loadSlow).
            long nextPage = (va | Page.OFFSET_MASK) + 1;
            if (writablePage(va, 1) == null || writablePage(nextPage, 1) == null) throw raise(Cause.STORE_ACCESS, va);
            for (int b = 0; b < size; b++) store(va + b, 1, value >>> (8 * b));
            return;
        }
        Page page = writablePage(va, size);
        if (page == null) {
            memory.writeDevice(this, devicePhysical, size, value);
            return;
        }
        page.write(off, size, value);
    }

    /** Translates for writing, drops decoded code on the page, and caches it in the write TLB. */
    private Page writablePage(long va, int size) {
        startTranslation();
        Page page = memory.translate(this, va, Access.WRITE, size);
        if (page == null) return null;
        long vpn = va >>> Page.SHIFT;
        if (page.codeCache != null) {
            page.invalidateCode();
            if (fetchPage == page) fetchVpn = NO_PAGE;
        }
        if (!translationCacheable) return page;
        int i = (int) vpn & tlbMask;
        currentTlb.fillWrite(i, vpn << Page.SHIFT, page);
        noteDataFill(va, i);
        // A write can replace a copy-on-write page: every mode's read TLB must see the new copy.
        for (TlbSet set : tlbs) {
            if (set != null) set.updateRead(vpn, page);
        }
        return page;
    }

    // ---------------------------------------------------------------- atomics (A extension)

    /** The page holding a naturally aligned atomic operand, translated for writing. */
    Page atomicPage(long va, int size) {
        if ((va & (size - 1)) != 0) throw raise(Cause.MISALIGNED_STORE, va);
        long vpn = va >>> Page.SHIFT;
        int i = (int) vpn & tlbMask;
        if (currentTlb.writeTag(i) == vpn << Page.SHIFT) return currentTlb.writePages[i];
        Page page = writablePage(va, size);
        if (page == null) throw raise(Cause.STORE_ACCESS, va);
        return page;
    }

    long loadReserved(long va, int size) {
        if ((va & (size - 1)) != 0) throw raise(Cause.MISALIGNED_LOAD, va);
        long v = size == 8 ? load(va, 8) : (int) load(va, 4);
        VarHandle.fullFence();
        reservedAddress = va;
        reservedValue = v;
        return v;
    }

    /** Store-conditional: succeeds (returns 0) only if the reserved value is still in memory. */
    long storeConditional(long va, int size, long value) {
        Page page = atomicPage(va, size);
        boolean ok = reservedAddress == va;
        reservedAddress = NO_PAGE;
        if (!ok) return 1;
        int off = (int) va & (int) Page.OFFSET_MASK;
        boolean swapped = size == 8
                ? AtomicBytes.compareAndSetLong(page, off, reservedValue, value)
                : AtomicBytes.compareAndSetInt(page, off, (int) reservedValue, (int) value);
        return swapped ? 0 : 1;
    }

    /** Drops any reservation, as a trap or context switch does. */
    public void clearReservation() {
        reservedAddress = NO_PAGE;
    }

    // ---------------------------------------------------------------- instruction fetch

    /** The decoded instruction at pc, decoding and caching its page's slot on first use. */
    long fetch() {
        long pc = this.pc;
        if ((pc >>> Page.SHIFT) != fetchVpn) refillFetch(pc);
        int slot = ((int) pc & (int) Page.OFFSET_MASK) >>> 1;
        long d = fetchCode[slot];
        return d != 0 ? d : decodeSlot(pc, slot);
    }

    private void refillFetch(long pc) {
        if ((pc & 1) != 0) throw raise(Cause.MISALIGNED_FETCH, pc);
        long vpn = pc >>> Page.SHIFT;
        int entry = (int) vpn & (FETCH_TLB_SIZE - 1);
        Page page = fetchTag[entry] == vpn ? fetchPages[entry] : fetchMiss(pc, entry);
        Object code = page.codeCache;
        if (code == null) {
            code = new long[SLOTS];
            page.codeCache = code;
            // This page is code now: no write TLB entry, of any mode, may bypass the slow path to it.
            for (TlbSet set : tlbs) {
                if (set != null) set.dropWritesTo(page);
            }
            // This hart's own entries need no flush for that; a change someone else made meanwhile does.
            long epoch = memory.bumpMappingEpoch();
            if (epoch == seenEpoch + 1) seenEpoch = epoch;
        }
        fetchCode = (long[]) code;
        fetchPage = page;
        fetchVpn = pc >>> Page.SHIFT;
    }

    /** Translates pc for execution and keeps its page in fetch TLB entry {@code i} if it may be cached. */
    private Page fetchMiss(long pc, int i) {
        startTranslation();
        Page page = memory.translate(this, pc, Access.EXECUTE);
        // Code runs only from RAM.
        if (page == null) throw raise(Cause.FETCH_ACCESS, pc);
        if (translationCacheable) {
            fetchTag[i] = pc >>> Page.SHIFT;
            fetchPages[i] = page;
            noteFill(pc);
        }
        return page;
    }

    /**
     * Gives every mode's TLB set a jump cache whose targets array {@code targets} makes (of
     * {@link JumpCache#SIZE} entries), for translated code's dispatcher. Before the hart first runs.
     */
    void attachJumpCaches(java.util.function.IntFunction<Object[]> targets) {
        for (TlbSet set : tlbs) {
            if (set != null) set.jumps = new JumpCache(targets.apply(JumpCache.SIZE));
        }
        selectTlb(userOnly ? MachineState.PRV_U : machine.priv);
    }

    /** Empties every mode's jump cache if {@code installs} changed since they were last emptied here. */
    void syncJumpCaches(long installs) {
        if (jumpCachesSeen != installs) {
            jumpCachesSeen = installs;
            clearJumpCaches();
        }
    }

    /** Empties every mode's jump cache. */
    void clearJumpCaches() {
        for (TlbSet set : tlbs) {
            if (set != null && set.jumps != null) set.jumps.clear();
        }
    }

    /**
     * Makes {@code page} (whose decoded slots are {@code code}) the fetch page for {@code pc}, as
     * a fetch through the fetch TLB would: for a jump cache hit, whose page came so when entered.
     */
    void enterFetchPage(long pc, Page page, long[] code) {
        long vpn = pc >>> Page.SHIFT;
        if (vpn == fetchVpn) return;
        fetchCode = code;
        fetchPage = page;
        fetchVpn = vpn;
    }

    /** True when the page of {@code pc} is in the current mode's fetch TLB (so may be in its jump cache). */
    boolean fetchCached(long pc) {
        long vpn = pc >>> Page.SHIFT;
        return fetchTag[(int) vpn & (FETCH_TLB_SIZE - 1)] == vpn;
    }

    /**
     * The page the current mode's fetch TLB holds for virtual page number {@code vpn}, the entry
     * filled first if the memory has a page there in memory and executable
     * ({@link MemoryPort#residentPage}: no fault, no walk, nothing changed); null if neither.
     */
    Page fetchPageAhead(long vpn) {
        int entry = (int) vpn & (FETCH_TLB_SIZE - 1);
        if (fetchTag[entry] == vpn) return fetchPages[entry];
        Page page = memory.residentPage(vpn << Page.SHIFT, Access.EXECUTE);
        if (page != null) {
            fetchTag[entry] = vpn;
            fetchPages[entry] = page;
        }
        return page;
    }

    /** Points the fetch TLB at the page of {@code pc} (for {@link JitAccess#codePage}). */
    void refillFetchFor(long pc) {
        refillFetch(pc);
    }

    private long decodeSlot(long pc, int slot) {
        int off = slot << 1;
        int low = (int) fetchPage.read(off, 2);
        long d = Decoder.decode((int) bitsAt(pc, off, low));
        // An instruction whose upper half lies on the next page is decoded every time, uncached.
        if (Decoder.isCompressed(low) || off <= Page.SIZE - 4) fetchCode[slot] = d;
        return d;
    }

    /**
     * The bits of the instruction at pc, at offset {@code off} of the fetch page, whose first 16
     * bits are {@code low}: those alone for a compressed instruction, else 32 bits, the upper
     * half from the next page if the instruction crosses into it.
     */
    private long bitsAt(long pc, int off, int low) {
        if (Decoder.isCompressed(low)) return low;
        if (off <= Page.SIZE - 4) return fetchPage.read(off, 4);
        return (low | (long) upperHalfOnNextPage(pc) << 16) & 0xffffffffL;
    }

    /** The first 16 bits of the page after the fetch page (pc + 2 starts it), keeping the fetch page. */
    private int upperHalfOnNextPage(long pc) {
        long[] thisCode = fetchCode;
        Page thisPage = fetchPage;
        long savedVpn = fetchVpn;
        refillFetch(pc + 2);
        int high = (int) fetchPage.read(0, 2);
        fetchCode = thisCode;
        fetchPage = thisPage;
        fetchVpn = savedVpn;
        return high;
    }

    /**
     * The bits of the instruction at pc (16 for a compressed one), which was just fetched: what
     * xtval reports for an illegal instruction (machine.adoc, "Machine Trap Value Register";
     * required by Sstvala).
     */
    long instructionBits() {
        if ((pc >>> Page.SHIFT) != fetchVpn) refillFetch(pc);
        int off = (int) pc & (int) Page.OFFSET_MASK;
        return bitsAt(pc, off, (int) fetchPage.read(off, 2));
    }

    /**
     * {@code fence.i}: later fetches must see earlier stores. Stores through the slow path already
     * dropped decoded code; this drops the TLBs (so stale write entries of pages that became code
     * are gone) and the decoded slots of the current page.
     */
    void fenceInstructions() {
        if (fetchCode != null) java.util.Arrays.fill(fetchCode, 0L);
        // Translations of this page were made from the bytes the decoded slots came from.
        if (fetchPage != null) fetchPage.dropTranslations();
        flushTlb();
    }
}
