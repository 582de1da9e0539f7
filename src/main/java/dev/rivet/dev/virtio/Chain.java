package dev.rivet.dev.virtio;

import java.util.Arrays;

/**
 * One descriptor chain taken from a virtqueue (virtio spec 2.7.5, 2.7.5.3 for indirect tables),
 * flattened into buffers: first the device-readable ones, then the device-writable ones. Offsets
 * given to {@link #read} and {@link #write} count bytes across the readable, respectively writable,
 * buffers as if they were one. The device reports how much it wrote ({@link #written()}) in the
 * used ring.
 */
public final class Chain {
    /** The descriptor index the chain starts at: its id in the used ring. */
    public final int head;
    private final GuestRam ram;
    private final long[] addr;
    private final int[] len;
    /** Buffers [0, firstWritable) are readable, the rest writable. */
    private final int firstWritable;
    private final int count;
    private final long readable, writable;
    private long written;

    Chain(int head, GuestRam ram, long[] addr, int[] len, int count, int firstWritable) {
        this.head = head;
        this.ram = ram;
        this.addr = Arrays.copyOf(addr, count);
        this.len = Arrays.copyOf(len, count);
        this.count = count;
        this.firstWritable = firstWritable;
        long r = 0, w = 0;
        for (int i = 0; i < count; i++) {
            if (i < firstWritable) r += Integer.toUnsignedLong(len[i]);
            else w += Integer.toUnsignedLong(len[i]);
        }
        this.readable = r;
        this.writable = w;
    }

    /** Total bytes the device may read. */
    public long readableBytes() {
        return readable;
    }

    /** Total bytes the device may write. */
    public long writableBytes() {
        return writable;
    }

    /** Bytes written so far: the used ring's len (the highest writable offset written). */
    public int written() {
        return (int) Math.min(written, 0xffff_ffffL);
    }

    /** Copies readable bytes {@code [offset, offset + n)} into {@code dst[dstOff..]}; n must fit. */
    public void read(long offset, byte[] dst, int dstOff, int n) {
        if (offset < 0 || n < 0 || offset + n > readable) {
            throw new DriverError("request reads %d bytes at %d of a %d-byte readable part".formatted(n, offset, readable));
        }
        copy(0, firstWritable, offset, dst, dstOff, n, false);
    }

    /** All readable bytes, if there are at most {@code max}; else a {@link DriverError}. */
    public byte[] readAll(int max) {
        if (readable > max) throw new DriverError("request of " + readable + " bytes exceeds " + max);
        byte[] b = new byte[(int) readable];
        read(0, b, 0, b.length);
        return b;
    }

    /** Copies {@code src[srcOff..srcOff+n)} to writable offset {@code offset}; n must fit. */
    public void write(long offset, byte[] src, int srcOff, int n) {
        if (offset < 0 || n < 0 || offset + n > writable) {
            throw new DriverError("reply of %d bytes at %d exceeds the %d-byte writable part".formatted(n, offset, writable));
        }
        copy(firstWritable, count, offset, src, srcOff, n, true);
        written = Math.max(written, offset + n);
    }

    private void copy(int from, int to, long offset, byte[] buf, int bufOff, int n, boolean toGuest) {
        int done = 0;
        for (int i = from; i < to && done < n; i++) {
            long l = Integer.toUnsignedLong(len[i]);
            if (offset >= l) {
                offset -= l;
                continue;
            }
            int k = (int) Math.min(l - offset, n - done);
            if (toGuest) ram.write(addr[i] + offset, buf, bufOff + done, k);
            else ram.read(addr[i] + offset, buf, bufOff + done, k);
            done += k;
            offset = 0;
        }
    }

    /** Number of buffers (non-empty descriptors) in the chain. */
    public int buffers() {
        return count;
    }
}
