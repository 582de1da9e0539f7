package dev.rivet.dev.virtio;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A 9P message being read or written: little-endian integers, strings as a 16-bit length and
 * UTF-8 bytes, qids as type[1] version[4] path[8] (Linux include/net/9p/9p.h). Reading past the
 * end of a message is the client's error: {@link GuestError} EINVAL, answered with Rlerror.
 */
final class P9Buffer {
    private byte[] b;
    private int pos;
    private final int limit;

    /** A reader over {@code message}. */
    P9Buffer(byte[] message) {
        this.b = message;
        this.limit = message.length;
    }

    /** A writer with room to grow. */
    P9Buffer() {
        this.b = new byte[256];
        this.limit = Integer.MAX_VALUE;
    }

    int position() {
        return pos;
    }

    void position(int p) {
        pos = p;
    }

    private void need(int n) {
        if (pos + n > Math.min(limit, b.length)) {
            if (limit != Integer.MAX_VALUE) throw new GuestError(Errno.EINVAL);
            b = Arrays.copyOf(b, Math.max(b.length * 2, pos + n));
        }
    }

    int u8() {
        need(1);
        return b[pos++] & 0xff;
    }

    int u16() {
        need(2);
        int v = b[pos] & 0xff | (b[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    int u32() {
        need(4);
        int v = 0;
        for (int i = 3; i >= 0; i--) v = v << 8 | b[pos + i] & 0xff;
        pos += 4;
        return v;
    }

    long u64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | b[pos + i] & 0xff;
        pos += 8;
        return v;
    }

    String str() {
        int n = u16();
        need(n);
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** {@code n} raw bytes as a slice {offset} of the backing array (the caller reads them there). */
    int skip(int n) {
        need(n);
        int at = pos;
        pos += n;
        return at;
    }

    byte[] array() {
        return b;
    }

    P9Buffer w8(int v) {
        need(1);
        b[pos++] = (byte) v;
        return this;
    }

    P9Buffer w16(int v) {
        need(2);
        b[pos++] = (byte) v;
        b[pos++] = (byte) (v >>> 8);
        return this;
    }

    P9Buffer w32(long v) {
        need(4);
        for (int i = 0; i < 4; i++) b[pos++] = (byte) (v >>> (8 * i));
        return this;
    }

    P9Buffer w64(long v) {
        need(8);
        for (int i = 0; i < 8; i++) b[pos++] = (byte) (v >>> (8 * i));
        return this;
    }

    P9Buffer wstr(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        w16(u.length);
        return wbytes(u, 0, u.length);
    }

    P9Buffer wbytes(byte[] src, int off, int n) {
        need(n);
        System.arraycopy(src, off, b, pos, n);
        pos += n;
        return this;
    }

    /** A qid: type[1] version[4] path[8]. */
    P9Buffer wqid(P9Server.Qid q) {
        return w8(q.type()).w32(q.version()).w64(q.path());
    }

    /** The message written so far, with its size[4] field (offset 0) filled in. */
    byte[] finish() {
        int n = pos;
        for (int i = 0; i < 4; i++) b[i] = (byte) (n >>> (8 * i));
        return Arrays.copyOf(b, n);
    }
}
