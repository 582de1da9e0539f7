package dev.rivet.linux;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counts system calls by number for {@code --stats}. */
final class SyscallStats {
    private final AtomicLongArray counts = new AtomicLongArray(512);

    void count(int nr) {
        if (nr >= 0 && nr < 512) counts.incrementAndGet(nr);
    }

    void print(PrintStream out, long instructions, long nanos) {
        double seconds = nanos / 1e9;
        out.printf("rivet: instructions: %d%n", instructions);
        out.printf("rivet: wall time: %.3f s%n", seconds);
        out.printf("rivet: MIPS: %.1f%n", seconds > 0 ? instructions / seconds / 1e6 : 0.0);
        long total = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 512; i++) {
            long c = counts.get(i);
            if (c == 0) continue;
            total += c;
            sb.append(String.format("rivet:   %-20s %d%n", SyscallNames.of(i), c));
        }
        out.printf("rivet: system calls: %d%n", total);
        out.print(sb);
    }
}
