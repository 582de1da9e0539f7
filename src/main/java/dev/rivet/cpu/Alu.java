package dev.rivet.cpu;

/**
 * Integer operations too large to inline: M-extension multiply-high, division with the spec's
 * results for division by zero and overflow (unprivileged spec, "M" chapter, table of division
 * corner cases), and the Zbb/Zbs bit-manipulation operations. Shared by interpreter and translator.
 */
public final class Alu {
    private Alu() {}

    public static long mulh(long a, long b) {
        return Math.multiplyHigh(a, b);
    }

    public static long mulhu(long a, long b) {
        return Math.unsignedMultiplyHigh(a, b);
    }

    /** High half of signed a times unsigned b. */
    public static long mulhsu(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        return b < 0 ? hi + a : hi;
    }

    public static long div(long a, long b) {
        if (b == 0) return -1;
        if (a == Long.MIN_VALUE && b == -1) return a;
        return a / b;
    }

    public static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    public static long rem(long a, long b) {
        if (b == 0) return a;
        if (a == Long.MIN_VALUE && b == -1) return 0;
        return a % b;
    }

    public static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    public static long divw(long a, long b) {
        int x = (int) a, y = (int) b;
        if (y == 0) return -1;
        if (x == Integer.MIN_VALUE && y == -1) return x;
        return x / y;
    }

    public static long divuw(long a, long b) {
        int y = (int) b;
        return y == 0 ? -1 : (long) Integer.divideUnsigned((int) a, y);
    }

    public static long remw(long a, long b) {
        int x = (int) a, y = (int) b;
        if (y == 0) return x;
        if (x == Integer.MIN_VALUE && y == -1) return 0;
        return x % y;
    }

    public static long remuw(long a, long b) {
        int y = (int) b;
        return y == 0 ? (int) a : (long) Integer.remainderUnsigned((int) a, y);
    }

    /** orc.b: each byte becomes 0xff if any of its bits is set, else 0. */
    public static long orcb(long a) {
        long r = 0;
        for (int i = 0; i < 64; i += 8) {
            if (((a >>> i) & 0xff) != 0) r |= 0xffL << i;
        }
        return r;
    }
}
