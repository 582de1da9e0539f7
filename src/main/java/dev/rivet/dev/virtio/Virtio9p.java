package dev.rivet.dev.virtio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The 9P transport (virtio spec 5.8 in older numbering, "9P Transport" device ID 9): a mount tag
 * in the configuration (VIRTIO_9P_MOUNT_TAG) and one request queue, each chain a T-message in its
 * readable part and room for the R-message in its writable part. The guest mounts it with
 * {@code mount -t 9p -o trans=virtio TAG /mnt}; a {@link P9Server} answers.
 */
public final class Virtio9p extends VirtioDevice {
    static final int F_MOUNT_TAG = 0;
    private final P9Server server;
    private final byte[] config;

    /**
     * @param root     the host directory shared
     * @param tag      the mount tag (at most 255 bytes... Linux takes up to 31 in practice)
     * @param readOnly refuse every change
     */
    public Virtio9p(Path root, String tag, boolean readOnly) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        if (t.length == 0 || t.length > 255) throw new IllegalArgumentException("9p tag must be 1 to 255 bytes");
        this.server = new P9Server(root, readOnly);
        this.config = ByteBuffer.allocate(2 + t.length).order(ByteOrder.LITTLE_ENDIAN).putShort((short) t.length).put(t).array();
    }

    @Override
    public int deviceId() {
        return 9;
    }

    @Override
    public String name() {
        return "virtio-9p";
    }

    @Override
    public long features() {
        return 1L << F_MOUNT_TAG;
    }

    @Override
    public int[] queueSizes() {
        return new int[] {128};
    }

    @Override
    protected byte[] config() {
        return config;
    }

    @Override
    protected void process(Virtqueue q) {
        Chain c;
        while ((c = q.pop()) != null) {
            byte[] reply = server.handle(c.readAll(P9Server.MAX_MSIZE + 4096), c.writableBytes());
            if (reply.length > c.writableBytes()) throw new DriverError("no room for a 9P reply of " + reply.length + " bytes");
            c.write(0, reply, 0, reply.length);
            q.push(c);
        }
        transport.usedBuffers(q);
    }

    @Override
    protected void reset() {
        server.closeAll();
    }

    @Override
    public void close() {
        server.closeAll();
    }
}
