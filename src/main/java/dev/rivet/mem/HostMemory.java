package dev.rivet.mem;

import jdk.internal.misc.Unsafe;

/**
 * Little-endian loads and stores at host addresses of guest pages ({@link Page#address} plus an
 * offset), without checks: every caller has proved that the access lies within a page it keeps
 * reachable. {@link Page#read}/{@link Page#write} do so by checking the offset and holding the
 * page; translated code and the interpreter's TLB fast path by a TLB tag comparison, the TLB
 * holding each entry's page beside its address (see {@code cpu.TlbSet}, {@code jit.Memory}).
 * Nothing else may call these: a wrong address here reads or corrupts the host process.
 */
public final class HostMemory {
    private HostMemory() {}

    private static final Unsafe UNSAFE = Unsafe.getUnsafe();

    public static byte getByte(long address) {
        return UNSAFE.getByte(address);
    }

    public static short getShort(long address) {
        return UNSAFE.getShortUnaligned(null, address, false);
    }

    public static int getInt(long address) {
        return UNSAFE.getIntUnaligned(null, address, false);
    }

    public static long getLong(long address) {
        return UNSAFE.getLongUnaligned(null, address, false);
    }

    public static void putByte(long address, byte value) {
        UNSAFE.putByte(address, value);
    }

    public static void putShort(long address, short value) {
        UNSAFE.putShortUnaligned(null, address, value, false);
    }

    public static void putInt(long address, int value) {
        UNSAFE.putIntUnaligned(null, address, value, false);
    }

    public static void putLong(long address, long value) {
        UNSAFE.putLongUnaligned(null, address, value, false);
    }

    /** Reads {@code size} bytes (1, 2, 4 or 8), zero-extended. */
    public static long read(long address, int size) {
        return switch (size) {
            case 1 -> getByte(address) & 0xffL;
            case 2 -> getShort(address) & 0xffffL;
            case 4 -> getInt(address) & 0xffffffffL;
            default -> getLong(address);
        };
    }

    /** Writes the low {@code size} bytes (1, 2, 4 or 8) of {@code value}. */
    public static void write(long address, int size, long value) {
        switch (size) {
            case 1 -> putByte(address, (byte) value);
            case 2 -> putShort(address, (short) value);
            case 4 -> putInt(address, (int) value);
            default -> putLong(address, value);
        }
    }

    /** Copies {@code length} bytes from host memory at {@code address} into {@code dst} from {@code dstOff}. */
    public static void copyToArray(long address, byte[] dst, int dstOff, int length) {
        UNSAFE.copyMemory(null, address, dst, (long) Unsafe.ARRAY_BYTE_BASE_OFFSET + dstOff, length);
    }

    /** Copies {@code length} bytes of {@code src} from {@code srcOff} to host memory at {@code address}. */
    public static void copyFromArray(byte[] src, int srcOff, long address, int length) {
        UNSAFE.copyMemory(src, (long) Unsafe.ARRAY_BYTE_BASE_OFFSET + srcOff, null, address, length);
    }
}
