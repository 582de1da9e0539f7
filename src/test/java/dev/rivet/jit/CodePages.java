package dev.rivet.jit;

import dev.rivet.mem.Bytes;
import dev.rivet.mem.Page;
import java.util.Arrays;

/** Pages of code for the translator's tests: 32-bit instruction words from offset 0, zeros after. */
final class CodePages {
    private CodePages() {}

    static PageInstructions of(int... words) {
        byte[] page = new byte[Page.SIZE];
        for (int i = 0; i < words.length; i++) Bytes.write(page, 4 * i, 4, words[i]);
        return new PageInstructions(page);
    }

    /** {@code words}, then {@code last}. */
    static PageInstructions of(int[] words, int last) {
        int[] all = Arrays.copyOf(words, words.length + 1);
        all[words.length] = last;
        return of(all);
    }
}
