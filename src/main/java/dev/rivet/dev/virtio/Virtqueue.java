package dev.rivet.dev.virtio;

import java.lang.invoke.VarHandle;

/**
 * A split virtqueue (virtio spec 2.7) as the device sees it: the descriptor table, the driver's
 * available ring and the device's used ring, all in guest RAM. {@link #pop} takes the next chain,
 * following indirect tables (2.7.5.3) and validating everything the driver wrote; {@link #push}
 * returns it; {@link #needsInterrupt} applies the notification suppression rules (2.7.7, 2.7.10,
 * with VIRTIO_F_EVENT_IDX the used_event / avail_event fields). Not thread-safe: the transport
 * serializes access.
 */
public final class Virtqueue {
    /** Descriptor flags (2.7.5). */
    static final int F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;
    /** Largest indirect table accepted (QEMU's VIRTQUEUE_MAX_SIZE): longer ones are malformed. */
    public static final int MAX_INDIRECT = 1024;

    public final int index;
    public final int maxSize;
    private GuestRam ram;
    int size;
    boolean ready;
    long desc, avail, used;
    private boolean eventIdx, indirect;
    private int lastAvail, usedIdx, signalledUsed;
    private boolean pushed;
    // Scratch for walking one chain.
    private final long[] addr = new long[MAX_INDIRECT];
    private final int[] len = new int[MAX_INDIRECT];

    public Virtqueue(int index, int maxSize) {
        this.index = index;
        this.maxSize = maxSize;
        reset();
    }

    /** Back to the reset state: no rings, size = maxSize, not ready. */
    public void reset() {
        size = maxSize;
        ready = false;
        desc = avail = used = 0;
        lastAvail = usedIdx = signalledUsed = 0;
        pushed = false;
    }

    public boolean isReady() {
        return ready;
    }

    public int size() {
        return size;
    }

    /**
     * Starts using the rings the driver placed (when it sets QueueReady, or DRIVER_OK for a legacy
     * device). Validates size and placement (2.7: sizes, alignments) against guest RAM.
     */
    void activate(GuestRam ram, boolean eventIdx, boolean indirect) {
        this.ram = ram;
        this.eventIdx = eventIdx;
        this.indirect = indirect;
        if (size < 1 || size > maxSize || Integer.bitCount(size) != 1) {
            throw new DriverError("queue " + index + ": size " + size + " is not a power of 2 up to " + maxSize);
        }
        if ((desc & 15) != 0 || (avail & 1) != 0 || (used & 3) != 0) {
            throw new DriverError("queue " + index + ": misaligned rings");
        }
        ram.check(desc, 16L * size, "queue " + index + " descriptor table");
        ram.check(avail, 6 + 2L * size, "queue " + index + " available ring");
        ram.check(used, 6 + 8L * size, "queue " + index + " used ring");
        // The used ring starts as the driver zeroed it; our indices start at 0 (2.7.13).
        lastAvail = usedIdx = signalledUsed = 0;
        ready = true;
    }

    /** Number of chains the driver made available and the device has not taken yet. */
    public int pending() {
        if (!ready) return 0;
        int availIdx = (int) ram.load(avail + 2, 2);
        return (availIdx - lastAvail) & 0xffff;
    }

    /**
     * Takes the next available chain, or null if there is none (then, with EVENT_IDX, asks the
     * driver to notify when it adds one).
     *
     * @throws DriverError if the driver's rings or the chain are malformed
     */
    public Chain pop() {
        if (!ready) return null;
        int n = pending();
        if (n == 0 && eventIdx) {
            ram.store(used + 4 + 8L * size, 2, lastAvail); // avail_event (2.7.10)
            VarHandle.fullFence();
            n = pending();
        }
        if (n == 0) return null;
        if (n > size) throw new DriverError("queue " + index + ": driver made " + n + " chains available on a ring of " + size);
        VarHandle.acquireFence();
        int head = (int) ram.load(avail + 4 + 2L * (lastAvail % size), 2);
        lastAvail = (lastAvail + 1) & 0xffff;
        if (eventIdx) ram.store(used + 4 + 8L * size, 2, lastAvail);
        return walk(head);
    }

    private Chain walk(int head) {
        if (head >= size) throw new DriverError("queue " + index + ": head descriptor " + head + " >= size " + size);
        long table = desc;
        int tableSize = size;
        boolean inIndirect = false;
        int i = head, steps = 0, count = 0, firstWritable = -1;
        while (true) {
            long d = table + 16L * i;
            long a = ram.load(d, 8);
            int l = (int) ram.load(d + 8, 4);
            int flags = (int) ram.load(d + 12, 2);
            int next = (int) ram.load(d + 14, 2);
            if ((flags & F_INDIRECT) != 0) {
                if (!indirect) throw err("indirect descriptor without VIRTIO_F_INDIRECT_DESC");
                if (inIndirect) throw err("nested indirect table");
                if (steps != 0) throw err("indirect descriptor inside a chain");
                if ((flags & F_NEXT) != 0) throw err("indirect descriptor with NEXT");
                long bytes = Integer.toUnsignedLong(l);
                if (bytes == 0 || bytes % 16 != 0 || bytes / 16 > MAX_INDIRECT) throw err("indirect table of " + bytes + " bytes");
                ram.check(a, bytes, "indirect table");
                table = a;
                tableSize = (int) (bytes / 16);
                inIndirect = true;
                i = 0;
                steps = 0;
                continue;
            }
            if (++steps > tableSize) throw err("descriptor chain loops or is longer than " + tableSize);
            ram.check(a, Integer.toUnsignedLong(l), "buffer");
            boolean write = (flags & F_WRITE) != 0;
            if (write && firstWritable < 0) firstWritable = count;
            if (!write && firstWritable >= 0) throw err("device-readable buffer after a device-writable one");
            if (l != 0) {
                addr[count] = a;
                len[count] = l;
                count++;
            }
            if ((flags & F_NEXT) == 0) break;
            if (next >= tableSize) throw err("next descriptor " + next + " >= " + tableSize);
            i = next;
        }
        return new Chain(head, ram, addr, len, count, firstWritable < 0 ? count : firstWritable);
    }

    private DriverError err(String what) {
        return new DriverError("queue " + index + ": " + what);
    }

    /** Returns {@code c} to the driver through the used ring with the length it wrote. */
    public void push(Chain c) {
        long e = used + 4 + 8L * (usedIdx % size);
        ram.store(e, 4, c.head);
        ram.store(e + 4, 4, c.written());
        VarHandle.releaseFence(); // the element before the index (2.7.8)
        usedIdx = (usedIdx + 1) & 0xffff;
        ram.store(used + 2, 2, usedIdx);
        pushed = true;
    }

    /**
     * Whether the driver wants an interrupt for what was pushed since the last call: with EVENT_IDX
     * when used_idx passed used_event (vring_need_event, 2.7.10), else unless avail.flags says
     * VIRTQ_AVAIL_F_NO_INTERRUPT (2.7.7).
     */
    public boolean needsInterrupt() {
        if (!pushed || !ready) return false;
        pushed = false;
        VarHandle.fullFence();
        if (eventIdx) {
            int event = (int) ram.load(avail + 4 + 2L * size, 2);
            int old = signalledUsed;
            signalledUsed = usedIdx;
            return ((usedIdx - event - 1) & 0xffff) < ((usedIdx - old) & 0xffff);
        }
        return (ram.load(avail, 2) & 1) == 0;
    }
}
