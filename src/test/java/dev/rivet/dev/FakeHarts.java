package dev.rivet.dev;

import java.util.ArrayList;
import java.util.List;

/** Records the mip bits that interrupt controllers drive, and every call. */
final class FakeHarts implements HartInterrupts {
    record Call(int hart, int bits, boolean level) { }

    final int[] mip;
    final List<Call> calls = new ArrayList<>();

    FakeHarts(int harts) {
        mip = new int[harts];
    }

    @Override
    public synchronized void setPending(int hart, int bits, boolean level) {
        calls.add(new Call(hart, bits, level));
        mip[hart] = level ? mip[hart] | bits : mip[hart] & ~bits;
    }

    synchronized boolean has(int hart, int bits) {
        return (mip[hart] & bits) == bits;
    }
}
