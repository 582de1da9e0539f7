package dev.rivet.dev;

/**
 * What interrupt controllers (CLINT, PLIC) drive on a hart: bits of its {@code mip} register
 * (privileged spec, "Machine Interrupt Registers (mip and mie)"). The CPU implements it; devices only
 * see this interface, so they stay independent of the CPU.
 */
public interface HartInterrupts {
    int SSIP = 1 << 1, MSIP = 1 << 3, STIP = 1 << 5, MTIP = 1 << 7, SEIP = 1 << 9, MEIP = 1 << 11;

    /** Sets or clears the given pending bits of hart {@code hart}, and wakes it if it sleeps in WFI. */
    void setPending(int hart, int bits, boolean level);
}
