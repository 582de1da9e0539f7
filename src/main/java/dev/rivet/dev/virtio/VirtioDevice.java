package dev.rivet.dev.virtio;

/**
 * A virtio device type (virtio spec 5) behind some {@link Transport}: its ID, feature bits, queues
 * and configuration space, and what it does when the driver makes buffers available. Methods are
 * called with {@link Transport#lock()} held.
 */
public abstract class VirtioDevice implements AutoCloseable {
    /** Feature bits of the transport and ring (virtio spec 6). */
    public static final int F_INDIRECT_DESC = 28, F_EVENT_IDX = 29, F_VERSION_1 = 32;

    protected Transport transport;

    /** Called once by the transport the device is plugged into. */
    void attach(Transport t) {
        this.transport = t;
    }

    /** Device ID (virtio spec 5: 2 block, 3 console, 4 entropy, 5 balloon, 9 9P transport). */
    public abstract int deviceId();

    /** A short name for messages ("virtio-blk"). */
    public abstract String name();

    /** Device-type feature bits offered (bits 0-23 and whatever else the type defines). */
    public abstract long features();

    /** Maximum size of each queue; the array length is the number of queues. */
    public abstract int[] queueSizes();

    /** Reads {@code size} bytes of device configuration at {@code offset}, little-endian. */
    public long readConfig(int offset, int size) {
        byte[] c = config();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (offset + i < c.length && offset + i >= 0 ? c[offset + i] & 0xff : 0);
        return v;
    }

    /** Writes device configuration (most fields are read-only: ignored by default). */
    public void writeConfig(int offset, int size, long value) {
    }

    /** The device configuration space as it is now. */
    protected abstract byte[] config();

    /** The driver set DRIVER_OK: the negotiated features are final and queues may be used. */
    protected void start() {
    }

    /** The driver notified queue {@code q} (or DRIVER_OK found buffers waiting): process them. */
    protected abstract void process(Virtqueue q);

    /** The device is being reset (status 0): drop all state tied to the driver. */
    protected void reset() {
    }

    /** Releases host resources (files, sockets, threads) when the machine is gone. */
    @Override
    public void close() {
    }
}
