package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Ram;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal virtio driver for tests: brings a device up through the MMIO registers (virtio spec
 * 3.1.1), lays out split rings in a small guest RAM and submits chains of buffers.
 */
final class TestDriver {
    static final long BASE = 0x8000_0000L;
    /** One returned chain: its head and the length the device wrote. */
    record Used(int id, int len) { }
    /** A buffer of a chain: guest address and length. */
    record Buf(long addr, int len) { }

    final Ram ram = new Ram(BASE, 4 << 20);
    final GuestRam guestRam = new GuestRam(ram);
    final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    volatile boolean irq;
    final VirtioMmio mmio;
    final int[] size;
    final long[] desc, avail, used;
    final int[] availIdx, lastUsed, nextDesc;
    private long heap = BASE + (1 << 20);

    TestDriver(VirtioDevice device, boolean legacy) {
        mmio = new VirtioMmio(device, guestRam, on -> irq = on, legacy, "test " + device.name(),
                new PrintStream(diagnostics, true));
        int n = device.queueSizes().length;
        size = new int[n];
        desc = new long[n];
        avail = new long[n];
        used = new long[n];
        availIdx = new int[n];
        lastUsed = new int[n];
        nextDesc = new int[n];
    }

    int reg(int offset) {
        return (int) mmio.read(offset, 4);
    }

    void reg(int offset, long value) {
        mmio.write(offset, 4, value);
    }

    /** Negotiates {@code accept} & offered, sets up every queue with {@code queueSize} entries, DRIVER_OK. */
    TestDriver start(long accept, int queueSize) {
        reg(VirtioMmio.STATUS, 0);
        reg(VirtioMmio.STATUS, VirtioMmio.ACKNOWLEDGE | VirtioMmio.DRIVER);
        long offered = 0;
        for (int sel = 0; sel < 2; sel++) {
            reg(VirtioMmio.DEVICE_FEATURES_SEL, sel);
            offered |= Integer.toUnsignedLong(reg(VirtioMmio.DEVICE_FEATURES)) << (32 * sel);
        }
        long f = offered & accept;
        for (int sel = 0; sel < 2; sel++) {
            reg(VirtioMmio.DRIVER_FEATURES_SEL, sel);
            reg(VirtioMmio.DRIVER_FEATURES, f >>> (32 * sel));
        }
        boolean legacy = reg(VirtioMmio.VERSION) == 1;
        if (!legacy) {
            reg(VirtioMmio.STATUS, VirtioMmio.ACKNOWLEDGE | VirtioMmio.DRIVER | VirtioMmio.FEATURES_OK);
            assertThat(reg(VirtioMmio.STATUS) & VirtioMmio.FEATURES_OK).as("FEATURES_OK accepted").isNotZero();
        } else {
            reg(VirtioMmio.GUEST_PAGE_SIZE, 4096);
        }
        for (int q = 0; q < size.length; q++) {
            reg(VirtioMmio.QUEUE_SEL, q);
            int s = Math.min(queueSize, reg(VirtioMmio.QUEUE_NUM_MAX));
            size[q] = s;
            reg(VirtioMmio.QUEUE_NUM, s);
            long base = alloc(16L * s + 6 + 2L * s + 4096 + 6 + 8L * s, 4096);
            desc[q] = base;
            avail[q] = base + 16L * s;
            used[q] = (avail[q] + 6 + 2L * s + 4095) & ~4095L;
            if (legacy) {
                reg(VirtioMmio.QUEUE_ALIGN, 4096);
                reg(VirtioMmio.QUEUE_PFN, base >>> 12);
            } else {
                reg(VirtioMmio.QUEUE_DESC_LOW, desc[q]);
                reg(VirtioMmio.QUEUE_DESC_HIGH, desc[q] >>> 32);
                reg(VirtioMmio.QUEUE_DRIVER_LOW, avail[q]);
                reg(VirtioMmio.QUEUE_DRIVER_HIGH, avail[q] >>> 32);
                reg(VirtioMmio.QUEUE_DEVICE_LOW, used[q]);
                reg(VirtioMmio.QUEUE_DEVICE_HIGH, used[q] >>> 32);
                reg(VirtioMmio.QUEUE_READY, 1);
            }
        }
        reg(VirtioMmio.STATUS, reg(VirtioMmio.STATUS) | VirtioMmio.DRIVER_OK);
        return this;
    }

    /** Zeroed guest memory, aligned. */
    long alloc(long bytes, int align) {
        heap = (heap + align - 1) & -(long) align;
        long a = heap;
        heap += bytes;
        guestRam.write(a, new byte[(int) bytes], 0, (int) bytes);
        return a;
    }

    Buf buffer(byte[] contents) {
        long a = alloc(Math.max(1, contents.length), 16);
        guestRam.write(a, contents, 0, contents.length);
        return new Buf(a, contents.length);
    }

    Buf buffer(int len) {
        return new Buf(alloc(Math.max(1, len), 16), len);
    }

    byte[] contents(Buf b) {
        byte[] out = new byte[b.len()];
        guestRam.read(b.addr(), out, 0, out.length);
        return out;
    }

    void writeDesc(long table, int i, long addr, int len, int flags, int next) {
        long d = table + 16L * i;
        guestRam.store(d, 8, addr);
        guestRam.store(d + 8, 4, len);
        guestRam.store(d + 12, 2, flags);
        guestRam.store(d + 14, 2, next);
    }

    /** Puts a direct chain of readable then writable buffers on queue q, makes it available, notifies. */
    int submit(int q, List<Buf> readable, List<Buf> writable) {
        List<Buf> all = new ArrayList<>(readable);
        all.addAll(writable);
        int head = nextDesc[q];
        for (int i = 0; i < all.size(); i++) {
            int idx = (head + i) % size[q];
            boolean last = i == all.size() - 1;
            int flags = (last ? 0 : Virtqueue.F_NEXT) | (i >= readable.size() ? Virtqueue.F_WRITE : 0);
            writeDesc(desc[q], idx, all.get(i).addr(), all.get(i).len(), flags, (idx + 1) % size[q]);
        }
        nextDesc[q] = (head + all.size()) % size[q];
        makeAvailable(q, head);
        return head;
    }

    /** Same through one indirect table. */
    int submitIndirect(int q, List<Buf> readable, List<Buf> writable) {
        List<Buf> all = new ArrayList<>(readable);
        all.addAll(writable);
        long table = alloc(16L * all.size(), 16);
        for (int i = 0; i < all.size(); i++) {
            boolean last = i == all.size() - 1;
            int flags = (last ? 0 : Virtqueue.F_NEXT) | (i >= readable.size() ? Virtqueue.F_WRITE : 0);
            writeDesc(table, i, all.get(i).addr(), all.get(i).len(), flags, i + 1);
        }
        int head = nextDesc[q];
        writeDesc(desc[q], head, table, 16 * all.size(), Virtqueue.F_INDIRECT, 0);
        nextDesc[q] = (head + 1) % size[q];
        makeAvailable(q, head);
        return head;
    }

    void makeAvailable(int q, int head) {
        guestRam.store(avail[q] + 4 + 2L * (availIdx[q] % size[q]), 2, head);
        availIdx[q] = (availIdx[q] + 1) & 0xffff;
        guestRam.store(avail[q] + 2, 2, availIdx[q]);
        reg(VirtioMmio.QUEUE_NOTIFY, q);
    }

    /** The next used element of queue q, or null. */
    Used poll(int q) {
        int idx = (int) guestRam.load(used[q] + 2, 2);
        if (idx == lastUsed[q]) return null;
        long e = used[q] + 4 + 8L * (lastUsed[q] % size[q]);
        lastUsed[q] = (lastUsed[q] + 1) & 0xffff;
        return new Used((int) guestRam.load(e, 4), (int) guestRam.load(e + 4, 4));
    }

    /** Acknowledges all interrupts; returns the InterruptStatus bits that were set. */
    int ack() {
        int s = reg(VirtioMmio.INTERRUPT_STATUS);
        reg(VirtioMmio.INTERRUPT_ACK, s);
        return s;
    }
}
