package dev.rivet.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.RivetRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --trace} on known programs: system calls, instructions in a range, traps and device accesses. */
class TraceTest {
    static final String CC = "riscv64-linux-gnu-gcc";
    static final Path BUSYBOX = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
            .resolve("../shared/guest/busybox.rv64").normalize();

    @TempDir
    static Path dir;
    static Path squares;
    static Path bare;

    @BeforeAll
    static void build() throws Exception {
        try {
            exec(dir, CC, "--version");
        } catch (IOException e) {
            assumeTrue(false, CC + " is not installed");
        }
        for (String f : List.of("squares.c", "bare.S", "bare.ld")) {
            Files.write(dir.resolve(f), TraceTest.class.getResourceAsStream("/dev/rivet/gdb/" + f).readAllBytes());
        }
        exec(dir, CC, "-O0", "-static", "-o", "squares", "squares.c");
        exec(dir, CC, "-nostdlib", "-nostartfiles", "-static", "-no-pie", "-fno-pic", "-march=rv64gc", "-mabi=lp64d",
                "-T", "bare.ld", "-Wl,--no-warn-rwx-segments", "-Wl,--build-id=none", "-o", "bare.elf", "bare.S");
        squares = dir.resolve("squares");
        bare = dir.resolve("bare.elf");
    }

    private static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    /** Symbol name to {address, size}, from nm. */
    private static Map<String, long[]> symbols(Path elf) throws Exception {
        Map<String, long[]> m = new HashMap<>();
        for (String line : exec(dir, "riscv64-linux-gnu-nm", "-S", elf.toString()).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4) m.put(f[3], new long[] {Long.parseUnsignedLong(f[0], 16), Long.parseUnsignedLong(f[1], 16)});
            else if (f.length == 3) m.put(f[2], new long[] {Long.parseUnsignedLong(f[0], 16), 0});
        }
        return m;
    }

    @Test
    void tracesSystemCallsLikeStrace() throws Exception {
        RivetRunner.Result r = RivetRunner.run(dir, null, 60, "run", "--trace", "syscall", squares.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("total 30\n");
        assertThat(r.stderr()).containsPattern("(?m)^sys   1 brk\\(0\\) = 0x[0-9a-f]+$");
        assertThat(r.stderr()).contains("sys   1 write(1, \"total 30\\n\", 9) = 9\n");
        assertThat(r.stderr()).contains("sys   1 exit_group(3) = ?\n");
    }

    @Test
    void tracesPathsBuffersAndErrors() throws Exception {
        assumeTrue(Files.isRegularFile(BUSYBOX), "no reference busybox");
        Files.writeString(dir.resolve("hello.txt"), "hello, trace\n");
        RivetRunner.Result r = RivetRunner.run(dir, null, 60, "run", "--trace", "syscall", BUSYBOX.toString(),
                "wc", "-c", "hello.txt", "missing.txt");
        assertThat(r.exitCode()).isEqualTo(1);
        String t = r.stderr();
        assertThat(t).contains("sys   1 openat(AT_FDCWD, \"hello.txt\", O_RDONLY) = 3\n");
        assertThat(t).containsPattern("sys   1 read\\(3, \"hello, trace\\\\n\", \\d+\\) = 13\n");
        assertThat(t).contains("sys   1 openat(AT_FDCWD, \"missing.txt\", O_RDONLY) = -1 ENOENT\n");
        assertThat(t).contains("sys   1 exit_group(1) = ?");
    }

    @Test
    void tracesInstructionsOnlyInsideTheRange() throws Exception {
        long[] square = symbols(squares).get("square");
        String range = String.format("0x%x-0x%x", square[0], square[0] + square[1]);
        Path file = dir.resolve("insn.txt");
        RivetRunner.Result r = RivetRunner.run(dir, null, 60, "run", "--trace", "insn=" + file, "--trace-range", range,
                squares.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith("insn  1 0x"));
        for (String l : lines) {
            long pc = Long.parseUnsignedLong(l.substring(10, 26), 16);
            assertThat(pc).isBetween(square[0], square[0] + square[1] - 1);
        }
        String first = String.format("insn  1 0x%016x  addi    sp, sp, ", square[0]);
        assertThat(lines.stream().filter(l -> l.startsWith(first))).hasSize(4); // square() runs four times
        assertThat(lines).anyMatch(l -> l.matches(".*  mulw    a5, a5, a5 +a5=0x(1|4|9|10)"));
        assertThat(lines).anyMatch(l -> l.contains("jalr    zero, 0(ra)"));
    }

    @Test
    void tracesTrapsAndDeviceAccessesOfTheSystemVm() throws Exception {
        Map<String, long[]> sym = symbols(bare);
        RivetRunner.Result r = RivetRunner.run(dir, null, 120, "boot", "--bios", "none", "--kernel", bare.toString(),
                "--trace", "trap,mmio");
        assertThat(r.exitCode()).isEqualTo(5); // the program gives up waiting for a debugger
        assertThat(r.stdout()).isEqualTo("K\n");
        assertThat(r.stderr()).contains(String.format(
                "trap  h0 exception 11 (environment call from M-mode) tval=0x0 epc=0x%x -> M at 0x%x%n",
                sym.get("before_ecall")[0], sym.get("trap_handler")[0]));
        assertThat(r.stderr()).containsPattern("mmio  h0 write uart 0x10000000 size 1 value 0x4b \\(pc 0x[0-9a-f]+\\)\n");
        assertThat(r.stderr()).contains("mmio  h0 write test 0x100000 size 4 value 0x53333");
    }

    @Test
    void systemVmInstructionTraceShowsModeAndResults() throws Exception {
        Map<String, long[]> sym = symbols(bare);
        long loop = sym.get("loop")[0];
        Path file = dir.resolve("boot-trace.txt");
        RivetRunner.Result r = RivetRunner.run(dir, null, 120, "boot", "--bios", "none", "--kernel", bare.toString(),
                "--trace", "all=" + file, "--trace-range", String.format("%x-%x", loop, sym.get("before_ecall")[0] + 4));
        assertThat(r.exitCode()).isEqualTo(5);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.stream().filter(l -> l.startsWith(String.format("insn  h0 M 0x%016x  addi    s0, s0, 1", loop))))
                .hasSize(5);
        assertThat(lines).contains(String.format("insn  h0 M 0x%016x  addi    s0, s0, 1                    s0=0x5", loop));
        assertThat(lines).contains(String.format("insn  h0 M 0x%016x  ecall", sym.get("before_ecall")[0]));
        assertThat(lines).anyMatch(l -> l.startsWith("trap  h0 exception 11"));
        assertThat(lines).noneMatch(l -> l.startsWith("mmio")); // the UART is written outside the range
    }

    @Test
    void rejectsBadDebugOptions() throws Exception {
        assertThat(RivetRunner.run(dir, null, 60, "run", "--trace", "bogus", squares.toString()))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
                .satisfies(r -> assertThat(r.stderr()).contains("unknown kind 'bogus'"));
        assertThat(RivetRunner.run(dir, null, 60, "run", "--gdb-wait", squares.toString()).stderr())
                .contains("--gdb-wait needs --gdb");
        assertThat(RivetRunner.run(dir, null, 60, "boot", "--bios", "none", "--kernel", bare.toString(), "--gdb", "nope").stderr())
                .contains("--gdb needs PORT or HOST:PORT");
        assertThat(RivetRunner.run(dir, null, 60, "run", "--trace", "insn", "--trace-range", "20-10", squares.toString()).stderr())
                .contains("LO must be below HI");
    }
}
