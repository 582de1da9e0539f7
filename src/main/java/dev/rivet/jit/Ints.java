package dev.rivet.jit;

import java.util.Collection;

/**
 * Boxed integer collections to arrays, by a plain loop: the translator runs first in a cold JVM,
 * where a stream pipeline's first use in each place costs its lambdas' linking and interpreted
 * pipeline stages (async-profiler: 11 % of the translator thread's time in a sha256 run).
 */
final class Ints {
    private Ints() {}

    /** The set bits, ascending. */
    static int[] of(java.util.BitSet bits) {
        int[] out = new int[bits.cardinality()];
        int i = 0;
        for (int b = bits.nextSetBit(0); b >= 0; b = bits.nextSetBit(b + 1)) out[i++] = b;
        return out;
    }

    static int[] of(Collection<Integer> values) {
        int[] out = new int[values.size()];
        int i = 0;
        for (int v : values) out[i++] = v;
        return out;
    }
}
