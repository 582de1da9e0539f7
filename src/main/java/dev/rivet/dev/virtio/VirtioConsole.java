package dev.rivet.dev.virtio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * virtio-console (virtio spec 5.3) with a single port and no optional features: receiveq (0)
 * takes bytes from the host, transmitq (1) carries the guest's output. Linux shows it as
 * /dev/hvc0. The host side is a {@link ConsoleEndpoint}: it pushes input with {@link #receive},
 * which blocks while 64 KiB are waiting for the guest to post buffers, and gets output through
 * {@link #output}. Output with nowhere to go is dropped.
 */
public final class VirtioConsole extends VirtioDevice {
    static final int RX = 0, TX = 1, MAX_PENDING = 64 * 1024;

    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int pendingBytes;
    private volatile OutputStream output = OutputStream.nullOutputStream();
    private ConsoleEndpoint endpoint;

    /** Connects the host side; the endpoint's threads start delivering input. */
    public void connect(ConsoleEndpoint e) {
        this.endpoint = e;
        e.start(this);
    }

    /** Where guest output goes from now on (an endpoint switching clients). */
    void output(OutputStream out) {
        this.output = out == null ? OutputStream.nullOutputStream() : out;
    }

    /**
     * Queues {@code len} bytes for the guest, waiting while too much is queued already, then
     * delivers what the guest has buffers for.
     */
    public void receive(byte[] b, int off, int len) throws InterruptedException {
        synchronized (pending) {
            while (pendingBytes >= MAX_PENDING) pending.wait();
            pending.add(java.util.Arrays.copyOfRange(b, off, off + len));
            pendingBytes += len;
        }
        if (transport != null) transport.runLocked(() -> deliver(transport.queue(RX)));
    }

    @Override
    public int deviceId() {
        return 3;
    }

    @Override
    public String name() {
        return "virtio-console";
    }

    @Override
    public long features() {
        return 0;
    }

    @Override
    public int[] queueSizes() {
        return new int[] {128, 128};
    }

    @Override
    protected byte[] config() {
        return new byte[12]; // cols, rows, max_nr_ports, emerg_wr: unused without features (5.3.4)
    }

    @Override
    protected void process(Virtqueue q) {
        if (q.index == RX) {
            deliver(q);
            return;
        }
        Chain c;
        while ((c = q.pop()) != null) {
            byte[] data = c.readAll(1 << 20);
            try {
                output.write(data);
                output.flush();
            } catch (IOException e) {
                output = OutputStream.nullOutputStream(); // the client went away: drop from now on
            }
            q.push(c);
        }
        transport.usedBuffers(q);
    }

    /** Copies queued input into the guest's receive buffers (5.3.6.1). */
    private void deliver(Virtqueue q) {
        synchronized (pending) {
            Chain c = null;
            while (!pending.isEmpty() && (c = q.pop()) != null) {
                long room = c.writableBytes();
                long at = 0;
                while (!pending.isEmpty() && at < room) {
                    byte[] head = pending.poll();
                    int n = (int) Math.min(head.length, room - at);
                    c.write(at, head, 0, n);
                    at += n;
                    pendingBytes -= n;
                    if (n < head.length) pending.addFirst(java.util.Arrays.copyOfRange(head, n, head.length));
                }
                q.push(c);
            }
            pending.notifyAll();
        }
        transport.usedBuffers(q);
    }

    @Override
    public void close() {
        if (endpoint != null) endpoint.close();
    }
}
