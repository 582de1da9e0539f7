package dev.rivet.dev.virtio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * virtio-balloon, the traditional memory balloon (virtio spec 5.5): the host asks for
 * {@code num_pages} 4 KiB pages ({@link #setTarget}); the guest gives them up through inflateq,
 * and the host drops their backing ({@link GuestRam#release}), so they cost no host memory until
 * the guest takes them back through deflateq and touches them again (then they read as zeros).
 * With VIRTIO_BALLOON_F_STATS_VQ the guest's memory statistics arrive on statsq; the device holds
 * the stats buffer and hands it back when it wants fresh numbers ({@link #requestStats}).
 */
public final class VirtioBalloon extends VirtioDevice {
    static final int F_MUST_TELL_HOST = 0, F_STATS_VQ = 1;
    static final int INFLATE = 0, DEFLATE = 1, STATS = 2;
    /** Balloon pages are 4 KiB whatever the guest's page size (VIRTIO_BALLOON_PFN_SHIFT). */
    static final int PFN_SHIFT = 12;

    private volatile int target;
    private volatile int actual;
    private volatile long released, inflated, deflated;
    private Chain statsChain;
    private final Map<Integer, Long> stats = new TreeMap<>();
    private final long[] scratch = new long[1024];

    @Override
    public int deviceId() {
        return 5;
    }

    @Override
    public String name() {
        return "virtio-balloon";
    }

    @Override
    public long features() {
        return 1L << F_MUST_TELL_HOST | 1L << F_STATS_VQ;
    }

    @Override
    public int[] queueSizes() {
        return new int[] {128, 128, 128};
    }

    @Override
    protected byte[] config() {
        // 5.5.4: num_pages (what the host wants in the balloon), actual (what the driver has put in).
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(target).putInt(actual).array();
    }

    @Override
    public void writeConfig(int offset, int size, long value) {
        if (offset == 4 && size == 4) actual = (int) value;
    }

    /** Asks the guest to hold {@code bytes} of its RAM in the balloon (0 deflates it completely). */
    public void setTarget(long bytes) {
        target = (int) Math.min(bytes >>> PFN_SHIFT, Integer.MAX_VALUE);
        if (transport != null) transport.configChanged();
    }

    /** Pages the driver reports in the balloon (the config field {@code actual}). */
    public int actualPages() {
        return actual;
    }

    /** Pages whose host memory was dropped on inflation so far (had been touched). */
    public long releasedPages() {
        return released;
    }

    /** Pages the guest gave (inflateq) and took back (deflateq) so far. */
    public long inflatedPages() {
        return inflated;
    }

    public long deflatedPages() {
        return deflated;
    }

    /** The guest's last memory statistics (tag 5.5.6.3 to value), empty before the first report. */
    public Map<Integer, Long> stats() {
        synchronized (stats) {
            return new TreeMap<>(stats);
        }
    }

    /** Returns the stats buffer so the guest sends fresh statistics (5.5.6.3). */
    public void requestStats() {
        if (transport == null) return;
        transport.runLocked(() -> {
            if (statsChain == null) return;
            Virtqueue q = transport.queue(STATS);
            q.push(statsChain);
            statsChain = null;
            transport.usedBuffers(q);
        });
    }

    @Override
    protected void process(Virtqueue q) {
        Chain c;
        while ((c = q.pop()) != null) {
            if (q.index == STATS) {
                readStats(c);
                if (statsChain != null) q.push(statsChain); // one buffer at a time: give the old one back
                statsChain = c;
                continue;
            }
            byte[] pfns = c.readAll(1 << 20);
            if (pfns.length % 4 != 0) throw new DriverError("balloon page list of " + pfns.length + " bytes");
            ByteBuffer b = ByteBuffer.wrap(pfns).order(ByteOrder.LITTLE_ENDIAN);
            int n = pfns.length / 4;
            if (q.index == INFLATE) {
                for (int i = 0; i < n; i += scratch.length) {
                    int k = Math.min(scratch.length, n - i);
                    for (int j = 0; j < k; j++) scratch[j] = Integer.toUnsignedLong(b.getInt(4 * (i + j))) << PFN_SHIFT;
                    released += transport.ram().release(scratch, k);
                }
                inflated += n;
            } else {
                deflated += n; // nothing to do: a page comes back (as zeros) when the guest touches it
            }
            q.push(c);
        }
        transport.usedBuffers(q);
    }

    /** struct virtio_balloon_stat entries: le16 tag, le64 val (5.5.6.3), packed. */
    private void readStats(Chain c) {
        byte[] raw = c.readAll(4096);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        synchronized (stats) {
            for (int at = 0; at + 10 <= raw.length; at += 10) stats.put(b.getShort(at) & 0xffff, b.getLong(at + 2));
        }
    }

    @Override
    protected void reset() {
        statsChain = null;
        actual = 0;
    }
}
