package dev.rivet.jit;

import dev.rivet.mem.Page;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manual check (not a test): how long translating a page of real code takes, cold and warm. */
public final class TranslateSpeedCheck {
    public static void main(String[] args) throws Exception {
        byte[] elf = Files.readAllBytes(Path.of(args[0]));
        long fileOffset = Long.decode(args[1]);
        Page page = new Page();
        page.copyIn(elf, (int) fileOffset, 0, Page.SIZE);
        int[] entries = new int[64];
        for (int i = 0; i < entries.length; i++) entries[i] = i * 64;
        for (int round = 0; round < 20; round++) {
            long t0 = System.nanoTime();
            int n = 0;
            for (int k = 0; k < 10; k++) {
                Region r = Region.build(PageInstructions.of(page), entries, 400);
                RegionCompiler.Output out = RegionCompiler.compile(FlowGraph.of(r), "dev.rivet.jit.Translated", true);
                n += out.codeLength();
            }
            long t1 = System.nanoTime();
            System.out.printf("round %d: %.2f ms per region (%d bytes)%n", round, (t1 - t0) / 10e6, n / 10);
        }
    }
}
