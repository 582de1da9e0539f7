package dev.rivet.dev.virtio;

/** A test device (ID 0x7e57): copies each chain's readable bytes into its writable buffers. */
final class EchoDevice extends VirtioDevice {
    int chains;

    @Override
    public int deviceId() {
        return 0x7e57;
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public long features() {
        return 1;
    }

    @Override
    public int[] queueSizes() {
        return new int[] {16};
    }

    @Override
    protected byte[] config() {
        return new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
    }

    @Override
    protected void process(Virtqueue q) {
        Chain c;
        while ((c = q.pop()) != null) {
            byte[] in = c.readAll(1 << 20);
            int n = (int) Math.min(in.length, c.writableBytes());
            c.write(0, in, 0, n);
            q.push(c);
            chains++;
        }
        transport.usedBuffers(q);
    }
}
