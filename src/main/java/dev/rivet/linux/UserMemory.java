package dev.rivet.linux;

import dev.rivet.cpu.Access;
import dev.rivet.mem.Bytes;
import dev.rivet.mem.Page;
import java.nio.charset.StandardCharsets;

/**
 * Copies between guest memory and the host for system calls, like the kernel's
 * {@code copy_from_user}/{@code copy_to_user}: an unmapped or forbidden address fails with EFAULT
 * instead of a signal.
 */
public final class UserMemory {
    private final AddressSpace space;

    UserMemory(AddressSpace space) {
        this.space = space;
    }

    private Page page(long va, Access access) {
        Page p = space.resolve(va, access, null);
        if (p == null) throw new GuestError(Errno.EFAULT);
        return p;
    }

    public byte[] read(long va, int length) {
        byte[] out = new byte[length];
        read(va, out, 0, length);
        return out;
    }

    public void read(long va, byte[] dst, int off, int length) {
        int done = 0;
        while (done < length) {
            long a = va + done;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(length - done, Page.SIZE - inPage);
            page(a, Access.READ).copyOut(inPage, dst, off + done, n);
            done += n;
        }
    }

    public void write(long va, byte[] src) {
        write(va, src, 0, src.length);
    }

    public void write(long va, byte[] src, int off, int length) {
        int done = 0;
        while (done < length) {
            long a = va + done;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(length - done, Page.SIZE - inPage);
            page(a, Access.WRITE).copyIn(src, off + done, inPage, n);
            done += n;
        }
    }

    public long readLong(long va) {
        return Bytes.i64(read(va, 8), 0);
    }

    public int readInt(long va) {
        return Bytes.i32(read(va, 4), 0);
    }

    public void writeLong(long va, long value) {
        byte[] b = new byte[8];
        Bytes.write(b, 0, 8, value);
        write(va, b);
    }

    public void writeInt(long va, int value) {
        byte[] b = new byte[4];
        Bytes.write(b, 0, 4, value);
        write(va, b);
    }

    /** A NUL-terminated string of at most {@code max} bytes (ENAMETOOLONG beyond). */
    public String readString(long va, int max) {
        if (va == 0) throw new GuestError(Errno.EFAULT);
        byte[] buf = new byte[Math.min(max, 256)];
        int n = 0;
        while (true) {
            long a = va + n;
            Page p = page(a, Access.READ);
            int inPage = (int) (a & Page.OFFSET_MASK);
            for (int i = inPage; i < Page.SIZE; i++, n++) {
                byte c = (byte) p.read(i, 1);
                if (c == 0) return new String(buf, 0, n, StandardCharsets.UTF_8);
                if (n == max) throw new GuestError(Errno.ENAMETOOLONG);
                if (n == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(max + 1, buf.length * 2));
                buf[n] = c;
            }
        }
    }

    /** A NULL-terminated array of string pointers (argv, envp). */
    public java.util.List<String> readStringArray(long va) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (va == 0) return out;
        for (int i = 0; ; i++) {
            long p = readLong(va + 8L * i);
            if (p == 0) return out;
            if (i > 65536) throw new GuestError(Errno.E2BIG);
            out.add(readString(p, 131072));
        }
    }
}
