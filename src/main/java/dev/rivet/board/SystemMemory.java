package dev.rivet.board;

import dev.rivet.cpu.Access;
import dev.rivet.cpu.Cause;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.MachineState;
import dev.rivet.cpu.MemoryPort;
import dev.rivet.cpu.Mmu;
import dev.rivet.cpu.PhysicalMemory;
import dev.rivet.mem.Page;
import dev.rivet.mem.Ram;
import dev.rivet.trace.Tracer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system VM's path from a hart to memory: page-table translation, PMP, then RAM (returned as
 * pages the hart may cache), the boot ROM (read and execute only) or a device on the bus. An HTIF
 * {@code tohost} word, when the loaded program has one, is routed to {@link Htif} instead of RAM.
 */
public final class SystemMemory implements MemoryPort, PhysicalMemory {
    private final Ram ram;
    private final Ram rom;
    private final Bus bus;
    private final AtomicLong epoch = new AtomicLong();
    private volatile Htif htif;
    /** Device accesses are traced here when set ({@code --trace mmio}). */
    private volatile Tracer tracer;
    private Bus tracedBus;

    public SystemMemory(Ram ram, Ram rom, Bus bus) {
        this.ram = ram;
        this.rom = rom;
        this.bus = bus;
    }

    void attachHtif(Htif htif) {
        this.htif = htif;
    }

    void traceDevices(Tracer tracer, Bus bus) {
        this.tracedBus = bus;
        this.tracer = tracer;
    }

    private void trace(Hart h, boolean write, long pa, int size, long value) {
        Htif watch = htif;
        Bus.Mapping m = tracedBus.find(pa);
        String name = watch != null && watch.covers(pa) ? "htif" : m == null ? "?" : m.device().name();
        tracer.mmio(h, write, name, pa, size, value);
    }

    @Override
    public Page ramPage(long pa) {
        return ram.page(pa);
    }

    @Override
    public Page translate(Hart h, long va, Access access) {
        return translate(h, va, access, 1);
    }

    @Override
    public Page translate(Hart h, long va, Access access, int size) {
        long pa = Mmu.translate(h, va, access, this);
        MachineState m = h.machine;
        int priv = access == Access.EXECUTE ? m.priv : m.dataPriv();
        // Every byte must be inside the matching entry: a partial match fails (machine.adoc,
        // "Priority and Matching Logic").
        if (!m.pmp.allows(pa, size, access, priv)) throw h.raise(access.accessFault, va);
        if (!m.pmp.uniformOver(pa & ~Page.OFFSET_MASK)) h.translationCacheable = false;
        Htif watch = htif;
        if (watch != null && watch.onPage(pa)) {
            // No TLB may hold a page with an HTIF word, or a later store to tohost would go
            // straight to RAM without ending the machine.
            h.translationCacheable = false;
            if (watch.covers(pa) && access != Access.EXECUTE) {
                h.devicePhysical = pa;
                return null;
            }
        }
        Page p = ram.page(pa);
        if (p != null) return p;
        if (rom.contains(pa)) {
            if (access == Access.WRITE) throw h.raise(access.accessFault, va);
            return rom.page(pa);
        }
        if (access == Access.EXECUTE || bus.find(pa) == null) throw h.raise(access.accessFault, va);
        h.devicePhysical = pa;
        return null;
    }

    @Override
    public long readDevice(Hart h, long pa, int size) {
        Htif watch = htif;
        long value;
        if (watch != null && watch.covers(pa)) {
            value = watch.read(pa, size);
        } else {
            OptionalLong v = bus.read(pa, size);
            if (v.isEmpty()) throw h.raise(Cause.LOAD_ACCESS, pa);
            value = v.getAsLong();
        }
        if (tracer != null) trace(h, false, pa, size, value);
        return value;
    }

    @Override
    public void writeDevice(Hart h, long pa, int size, long value) {
        if (tracer != null) trace(h, true, pa, size, value);
        Htif watch = htif;
        if (watch != null && watch.covers(pa)) {
            watch.write(pa, size, value);
            return;
        }
        if (!bus.write(pa, size, value)) throw h.raise(Cause.STORE_ACCESS, pa);
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
