package dev.rivet.cpu;

import dev.rivet.mem.Page;

/** What the page-table walker needs of the physical address space: the RAM page holding an address. */
public interface PhysicalMemory {
    /** The RAM page containing physical address {@code pa}, or null if {@code pa} is not RAM. */
    Page ramPage(long pa);
}
