package dev.rivet.cpu;

import dev.rivet.mem.Page;

/**
 * What a hart's memory accesses go through when its TLB misses: the process VM's address space, or
 * the system VM's page-table walker over the physical bus. The hart keeps its own TLBs and handles
 * misaligned and page-crossing accesses; the port only answers which page an address reaches.
 * In the system VM an address may reach a device instead: translate then returns null, leaves the
 * physical address in {@link Hart#devicePhysical}, and the hart calls {@link #readDevice} or
 * {@link #writeDevice}. A port clears {@link Hart#translationCacheable} when the answer must not be
 * kept in a TLB (a page only partly covered by one PMP entry).
 */
public interface MemoryPort {
    /**
     * The page of memory that {@code vaddr} reaches for {@code access}, ready for that access (for a
     * write: private to this mapping, copied first if it was shared). Raises the access's exception
     * through {@link Hart#raise} when the address is unmapped or forbids the access.
     */
    Page translate(Hart hart, long vaddr, Access access);

    /**
     * As {@link #translate(Hart, long, Access)} for an access of {@code size} bytes that stays within
     * one page. A port whose permissions can change within a page (PMP) checks every byte of it.
     */
    default Page translate(Hart hart, long vaddr, Access access, int size) {
        return translate(hart, vaddr, access);
    }

    /**
     * The page in memory that {@code vaddr} reaches for {@code access}, if the port can tell
     * without raising, walking page tables or making the page (a process's page already in memory,
     * mapped with the access allowed); else null. Nothing changes: for looking ahead, as translated
     * code that continues on the next page does (jit.Region).
     */
    default Page residentPage(long vaddr, Access access) {
        return null;
    }

    /** Reads a device register at physical {@code pa} (after translate returned null for it). */
    default long readDevice(Hart hart, long pa, int size) {
        throw hart.raise(Cause.LOAD_ACCESS, pa);
    }

    /** Writes a device register at physical {@code pa} (after translate returned null for it). */
    default void writeDevice(Hart hart, long pa, int size, long value) {
        throw hart.raise(Cause.STORE_ACCESS, pa);
    }

    /**
     * A serial number that changes whenever mappings are removed or narrowed, so every hart sharing
     * this memory drops its TLB entries at its next check.
     */
    long mappingEpoch();

    /** Tells harts sharing this memory that mappings changed, so they drop their TLBs; returns the new epoch. */
    long bumpMappingEpoch();
}
