package dev.rivet.dev.virtio;

import dev.rivet.host.HostEntropy;

/**
 * virtio-rng, the entropy device (virtio spec 5.4): one request queue whose writable buffers it
 * fills with bytes from the host's random device ({@link HostEntropy}). Linux shows it as
 * /dev/hwrng.
 */
public final class VirtioRng extends VirtioDevice {
    /** Most bytes given per request; Linux asks for at most a page at a time anyway. */
    static final int MAX_REQUEST = 64 * 1024;
    private final HostEntropy random = new HostEntropy();

    @Override
    public int deviceId() {
        return 4;
    }

    @Override
    public String name() {
        return "virtio-rng";
    }

    @Override
    public long features() {
        return 0;
    }

    @Override
    public int[] queueSizes() {
        return new int[] {64};
    }

    @Override
    protected byte[] config() {
        return new byte[0];
    }

    @Override
    protected void process(Virtqueue q) {
        Chain c;
        while ((c = q.pop()) != null) {
            int n = (int) Math.min(c.writableBytes(), MAX_REQUEST);
            byte[] b = new byte[n];
            random.nextBytes(b);
            c.write(0, b, 0, n);
            q.push(c);
        }
        transport.usedBuffers(q);
    }
}
