package dev.rivet.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian access to byte arrays (structures a system call or device builds); guest memory
 * is read and written through {@link Page}, and atomically through {@link AtomicBytes}.
 */
public final class Bytes {
    private Bytes() {}

    public static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static int u8(byte[] a, int off) {
        return a[off] & 0xff;
    }

    public static int u16(byte[] a, int off) {
        return (short) I16.get(a, off) & 0xffff;
    }

    public static int i32(byte[] a, int off) {
        return (int) I32.get(a, off);
    }

    public static long i64(byte[] a, int off) {
        return (long) I64.get(a, off);
    }

    /** Reads a little-endian value of {@code size} bytes (1, 2, 4 or 8), zero-extended. */
    public static long read(byte[] a, int off, int size) {
        return switch (size) {
            case 1 -> a[off] & 0xffL;
            case 2 -> (short) I16.get(a, off) & 0xffffL;
            case 4 -> (int) I32.get(a, off) & 0xffffffffL;
            default -> (long) I64.get(a, off);
        };
    }

    /** Writes the low {@code size} bytes (1, 2, 4 or 8) of {@code value}, little-endian. */
    public static void write(byte[] a, int off, int size, long value) {
        switch (size) {
            case 1 -> a[off] = (byte) value;
            case 2 -> I16.set(a, off, (short) value);
            case 4 -> I32.set(a, off, (int) value);
            default -> I64.set(a, off, value);
        }
    }
}
