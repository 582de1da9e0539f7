package dev.rivet.dev.virtio;

import dev.rivet.dev.Device;
import dev.rivet.dev.InterruptLine;
import java.io.PrintStream;

/**
 * The virtio-mmio transport (virtio spec 4.2): version 2 (virtio 1.x, 4.2.2) by default, or the
 * legacy version 1 interface (4.2.4) with page-frame queue addresses. Offers the ring features
 * VIRTIO_F_INDIRECT_DESC and VIRTIO_F_EVENT_IDX besides the device's own, and VIRTIO_F_VERSION_1
 * in version 2, whose acceptance FEATURES_OK requires. The interrupt line is high while
 * InterruptStatus is non-zero (bit 0 used buffers, bit 1 configuration change).
 *
 * <p>Whatever the driver does wrong (rings or chains outside RAM, loops, wrong directions, requests
 * a device cannot parse) sets DEVICE_NEEDS_RESET and raises a configuration change interrupt
 * (2.1.2); the first such error is reported on the diagnostics stream. Nothing a guest writes can
 * make the device touch memory outside guest RAM or throw into the hart that wrote the register.
 */
public final class VirtioMmio implements Device, Transport {
    /** Register offsets (4.2.2). */
    static final int MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
            DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014, DRIVER_FEATURES = 0x020,
            DRIVER_FEATURES_SEL = 0x024, GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034,
            QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c, QUEUE_PFN = 0x040, QUEUE_READY = 0x044,
            QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
            QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_DRIVER_LOW = 0x090,
            QUEUE_DRIVER_HIGH = 0x094, QUEUE_DEVICE_LOW = 0x0a0, QUEUE_DEVICE_HIGH = 0x0a4,
            SHM_SEL = 0x0ac, SHM_LEN_LOW = 0x0b0, SHM_LEN_HIGH = 0x0b4, SHM_BASE_LOW = 0x0b8,
            SHM_BASE_HIGH = 0x0bc, CONFIG_GENERATION = 0x0fc, CONFIG = 0x100;
    /** Device status bits (2.1). */
    public static final int ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8,
            DEVICE_NEEDS_RESET = 64, FAILED = 128;
    static final int MAGIC_VALUE = 0x74726976; // "virt"
    static final int VENDOR_QEMU = 0x554d4551; // "QEMU", as QEMU's devices answer
    static final long SIZE = 0x1000;

    private final VirtioDevice device;
    private final GuestRam ram;
    private final InterruptLine irq;
    private final PrintStream diagnostics;
    private final String label;
    private final int version;
    private final Virtqueue[] queues;
    private final long offered;
    private final int[] legacyAlign, legacyPfn;

    private int status, interruptStatus, generation;
    private int deviceFeaturesSel, driverFeaturesSel, queueSel;
    private long driverFeatures;
    private int guestPageSize = 4096;
    private boolean reported;

    /**
     * @param device      the device type behind this transport
     * @param ram         guest RAM the device may access
     * @param irq         the PLIC source of this slot
     * @param legacy      answer as the legacy version 1 interface
     * @param label       how messages name the device ("virtio-blk at 0x10001000")
     * @param diagnostics where the first driver error is reported
     */
    public VirtioMmio(VirtioDevice device, GuestRam ram, InterruptLine irq, boolean legacy, String label,
                      PrintStream diagnostics) {
        this.device = device;
        this.ram = ram;
        this.irq = irq;
        this.version = legacy ? 1 : 2;
        this.label = label;
        this.diagnostics = diagnostics;
        int[] sizes = device.queueSizes();
        this.queues = new Virtqueue[sizes.length];
        for (int i = 0; i < sizes.length; i++) queues[i] = new Virtqueue(i, sizes[i]);
        this.legacyAlign = new int[sizes.length];
        this.legacyPfn = new int[sizes.length];
        long f = device.features() | 1L << VirtioDevice.F_INDIRECT_DESC | 1L << VirtioDevice.F_EVENT_IDX;
        this.offered = legacy ? f & 0xffff_ffffL : f | 1L << VirtioDevice.F_VERSION_1;
        device.attach(this);
    }

    public VirtioDevice device() {
        return device;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public String name() {
        return device.name();
    }

    /** The device status register (for tests and traces). */
    public synchronized int status() {
        return status;
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public Object lock() {
        return this;
    }

    @Override
    public Virtqueue queue(int i) {
        return queues[i];
    }

    @Override
    public boolean negotiated(int bit) {
        return (driverFeatures & offered & 1L << bit) != 0;
    }

    @Override
    public boolean live() {
        return (status & DRIVER_OK) != 0 && (status & DEVICE_NEEDS_RESET) == 0;
    }

    @Override
    public GuestRam ram() {
        return ram;
    }

    @Override
    public synchronized void usedBuffers(Virtqueue q) {
        if (q.needsInterrupt()) raise(1);
    }

    @Override
    public synchronized void configChanged() {
        generation++;
        if ((status & DRIVER_OK) != 0) raise(2);
    }

    private void raise(int bits) {
        interruptStatus |= bits;
        irq.set(true);
    }

    /** The driver broke the rules: DEVICE_NEEDS_RESET and a configuration change interrupt (2.1.2). */
    private void needsReset(String message) {
        if (!reported) {
            reported = true;
            diagnostics.println("rivet: " + label + ": " + message + "; the device needs a reset");
        }
        status |= DEVICE_NEEDS_RESET;
        if ((status & DRIVER_OK) != 0) raise(2);
    }

    // ---------------------------------------------------------------- registers

    @Override
    public synchronized long read(long offset, int size) {
        if (offset >= CONFIG) return device.readConfig((int) (offset - CONFIG), size);
        if (size == 8) return read32((int) offset) | read32((int) offset + 4) << 32;
        long word = read32((int) (offset & ~3));
        int shift = (int) (offset & 3) * 8;
        return size >= 4 ? word : (word >>> shift) & ((1L << (8 * size)) - 1);
    }

    private long read32(int offset) {
        Virtqueue q = queueSel < queues.length ? queues[queueSel] : null;
        long v = switch (offset) {
            case MAGIC -> MAGIC_VALUE;
            case VERSION -> version;
            case DEVICE_ID -> device.deviceId();
            case VENDOR_ID -> VENDOR_QEMU;
            case DEVICE_FEATURES -> deviceFeaturesSel < 2 ? offered >>> (32 * deviceFeaturesSel) : 0;
            case QUEUE_NUM_MAX -> q == null ? 0 : q.maxSize;
            case QUEUE_READY -> q != null && q.ready ? 1 : 0;
            case QUEUE_PFN -> q == null ? 0 : legacyPfn[queueSel];
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> status;
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> 0xffff_ffffL; // no shared memory
            case CONFIG_GENERATION -> generation;
            default -> 0;
        };
        return v & 0xffff_ffffL;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        try {
            if (offset >= CONFIG) {
                device.writeConfig((int) (offset - CONFIG), size, value);
                return;
            }
            if (size == 8) {
                write32((int) offset, value & 0xffff_ffffL);
                write32((int) offset + 4, value >>> 32);
            } else if (size == 4) {
                write32((int) offset, value & 0xffff_ffffL);
            } // narrower writes to the registers are not allowed (4.2.2.2): ignored
        } catch (DriverError e) {
            needsReset(e.getMessage());
        } catch (RuntimeException e) {
            needsReset("internal error: " + e);
        }
    }

    private void write32(int offset, long v) {
        Virtqueue q = queueSel < queues.length ? queues[queueSel] : null;
        switch (offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = (int) v;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = (int) v;
            case DRIVER_FEATURES -> {
                if ((status & FEATURES_OK) == 0 && driverFeaturesSel < 2) {
                    int shift = 32 * driverFeaturesSel;
                    driverFeatures = driverFeatures & ~(0xffff_ffffL << shift) | v << shift;
                }
            }
            case GUEST_PAGE_SIZE -> guestPageSize = (int) v;
            case QUEUE_SEL -> queueSel = (int) v;
            case QUEUE_NUM -> {
                if (q != null && !q.ready) q.size = (int) v;
            }
            case QUEUE_ALIGN -> {
                if (q != null) legacyAlign[queueSel] = (int) v;
            }
            case QUEUE_PFN -> legacyQueue(q, v);
            case QUEUE_READY -> {
                if (q == null) return;
                if ((v & 1) == 0) q.reset();
                else if (!q.ready) q.activate(ram, negotiated(VirtioDevice.F_EVENT_IDX), negotiated(VirtioDevice.F_INDIRECT_DESC));
            }
            case QUEUE_DESC_LOW -> setAddress(q, 0, false, v);
            case QUEUE_DESC_HIGH -> setAddress(q, 0, true, v);
            case QUEUE_DRIVER_LOW -> setAddress(q, 1, false, v);
            case QUEUE_DRIVER_HIGH -> setAddress(q, 1, true, v);
            case QUEUE_DEVICE_LOW -> setAddress(q, 2, false, v);
            case QUEUE_DEVICE_HIGH -> setAddress(q, 2, true, v);
            case QUEUE_NOTIFY -> {
                int i = (int) (v & 0xffff);
                if (i < queues.length) process(queues[i]);
            }
            case INTERRUPT_ACK -> {
                interruptStatus &= ~(int) v;
                if (interruptStatus == 0) irq.set(false);
            }
            case STATUS -> writeStatus((int) v);
            default -> { }
        }
    }

    private static void setAddress(Virtqueue q, int which, boolean high, long v) {
        if (q == null || q.ready) return;
        long old = which == 0 ? q.desc : which == 1 ? q.avail : q.used;
        long updated = high ? old & 0xffff_ffffL | v << 32 : old & ~0xffff_ffffL | v;
        if (which == 0) q.desc = updated;
        else if (which == 1) q.avail = updated;
        else q.used = updated;
    }

    /** Legacy queue placement (4.2.4): the rings laid out from QueuePFN * GuestPageSize (2.7.2 legacy layout). */
    private void legacyQueue(Virtqueue q, long pfn) {
        if (q == null || version != 1) return;
        legacyPfn[queueSel] = (int) pfn;
        int num = q.size;
        q.reset();
        if (pfn == 0) return;
        long align = Math.max(legacyAlign[queueSel], 1);
        q.size = num;
        q.desc = pfn * guestPageSize;
        q.avail = q.desc + 16L * num;
        q.used = (q.avail + 6 + 2L * num + align - 1) / align * align;
        q.activate(ram, negotiated(VirtioDevice.F_EVENT_IDX), negotiated(VirtioDevice.F_INDIRECT_DESC));
    }

    private void writeStatus(int v) {
        if (v == 0) {
            reset();
            return;
        }
        int added = v & ~status;
        if ((added & FEATURES_OK) != 0 && version == 2) {
            // 3.1.1: the device refuses FEATURES_OK for features it did not offer or without VERSION_1.
            if ((driverFeatures & ~offered) != 0 || !negotiated(VirtioDevice.F_VERSION_1)) v &= ~FEATURES_OK;
        }
        status = v | status & DEVICE_NEEDS_RESET;
        if ((added & DRIVER_OK) != 0 && (status & DEVICE_NEEDS_RESET) == 0) {
            device.start();
            for (Virtqueue q : queues) process(q);
        }
    }

    private void process(Virtqueue q) {
        if (!live() || !q.ready) return;
        device.process(q);
    }

    /** Device reset (2.4): queues, features, interrupts and the device's own state. */
    private void reset() {
        device.reset();
        for (Virtqueue q : queues) q.reset();
        java.util.Arrays.fill(legacyPfn, 0);
        status = 0;
        driverFeatures = 0;
        deviceFeaturesSel = driverFeaturesSel = queueSel = 0;
        interruptStatus = 0;
        irq.set(false);
    }

    /**
     * Runs {@code work} for the device on a host thread of its own (input arriving), under the lock
     * and with driver errors turned into DEVICE_NEEDS_RESET as for register writes.
     */
    @Override
    public synchronized void runLocked(Runnable work) {
        try {
            if (live()) work.run();
        } catch (DriverError e) {
            needsReset(e.getMessage());
        } catch (RuntimeException e) {
            needsReset("internal error: " + e);
        }
    }
}
