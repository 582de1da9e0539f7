package dev.rivet.linux;

import static dev.rivet.cpu.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.RivetRunner;
import dev.rivet.RivetRunner.Result;
import dev.rivet.elf.TinyElf;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process VM's limits, exit statuses and answers to bad input, on hand-assembled programs. */
class SandboxTest {
    static final int A0 = 10, A1 = 11, A7 = 17, S0 = 8, S1 = 9, T0 = 5, T1 = 6;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        p.toFile().setExecutable(true);
        return p;
    }

    private static int[] exit(int code) {
        return new int[] {addi(A0, 0, code), addi(A7, 0, 93), ecall()};
    }

    @Test
    void exitStatusIsTheGuests() throws Exception {
        Result r = RivetRunner.run(30, "run", write("exit42", TinyElf.of(exit(42))).toString());
        assertThat(r.exitCode()).isEqualTo(42);
        assertThat(r.stderr()).isEmpty();
    }

    /**
     * A program given by a relative path that leads out of the guest's root still has an absolute
     * /proc/self/exe, as Linux gives every process: a static glibc program asserts it at start.
     */
    @Test
    void aProgramFromOutsideTheRootByARelativePathHasAnAbsoluteExe() throws Exception {
        Path busybox = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("../shared/guest/busybox.rv64").normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(busybox), "no reference busybox");
        String relative = dir.toAbsolutePath().relativize(busybox).toString();
        Result r = RivetRunner.run(dir, null, 60, "run", relative, "readlink", "/proc/self/exe");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(busybox + "\n");
    }

    @Test
    void instructionLimitEndsAnEndlessLoop() throws Exception {
        Result r = RivetRunner.run(60, "run", "--max-insns", "1000000", write("loop", TinyElf.of(jal(0, 0))).toString());
        assertThat(r.exitCode()).isEqualTo(LimitExceeded.STATUS_INSTRUCTIONS);
        assertThat(r.stderr()).contains("instruction limit").contains("1000000");
    }

    @Test
    void timeoutEndsAnEndlessLoop() throws Exception {
        long start = System.nanoTime();
        Result r = RivetRunner.run(60, "run", "--timeout", "1", write("loop", TinyElf.of(jal(0, 0))).toString());
        assertThat(r.exitCode()).isEqualTo(LimitExceeded.STATUS_TIMEOUT);
        assertThat(r.stderr()).contains("time limit");
        assertThat(System.nanoTime() - start).isGreaterThan(1_000_000_000L);
    }

    @Test
    void memoryLimitEndsAGuestThatTouchesTooMuch() throws Exception {
        int[] hog = {
            addi(A7, 0, 214), addi(A0, 0, 0), ecall(),        // a0 = brk(0)
            addi(S0, A0, 0), lui(T0, 0x40000), add(A0, S0, T0), ecall(), addi(S1, A0, 0), // brk(+1 GiB)
            lui(T1, 1),                                        // t1 = 4096
            sd(0, S0, 0), add(S0, S0, T1), blt(S0, S1, -8),   // touch every page
            addi(A0, 0, 0), addi(A7, 0, 93), ecall(),
        };
        Result r = RivetRunner.run(60, "run", "--max-memory", "16M", write("hog", TinyElf.of(hog)).toString());
        assertThat(r.exitCode()).isEqualTo(LimitExceeded.STATUS_MEMORY);
        assertThat(r.stderr()).contains("memory limit");
    }

    @Test
    void unhandledSegfaultReportsAddressAndPcAndExits139() throws Exception {
        Result r = RivetRunner.run(30, "run", write("segv", TinyElf.of(sd(0, 0, 8), ecall())).toString());
        assertThat(r.exitCode()).isEqualTo(139);
        assertThat(r.stderr()).contains("SIGSEGV").contains("address 0x8").contains("pc 0x100" + "78");
    }

    @Test
    void illegalInstructionIsSigill() throws Exception {
        Result r = RivetRunner.run(30, "run", write("ill", TinyElf.of(0xffffffff)).toString());
        assertThat(r.exitCode()).isEqualTo(128 + 4);
        assertThat(r.stderr()).contains("SIGILL");
    }

    @Test
    void notAnElfFileIsOneClearLine() throws Exception {
        Result r = RivetRunner.run(30, "run", write("text", "#just text, no ELF\n".getBytes()).toString());
        assertThat(r.exitCode()).isEqualTo(126);
        assertThat(r.stderr().strip()).doesNotContain("\n").contains("not an ELF file").doesNotContain("Exception");
    }

    @Test
    void truncatedElfIsOneClearLine() throws Exception {
        byte[] full = TinyElf.of(exit(0));
        byte[] cut = java.util.Arrays.copyOf(full, 40);
        Result r = RivetRunner.run(30, "run", write("cut", cut).toString());
        assertThat(r.exitCode()).isEqualTo(126);
        assertThat(r.stderr().strip()).doesNotContain("\n").contains("truncated");
        Result r2 = RivetRunner.run(30, "run", write("cut2", java.util.Arrays.copyOf(full, 100)).toString());
        assertThat(r2.exitCode()).isEqualTo(126);
        assertThat(r2.stderr().strip()).doesNotContain("\n").contains("truncated");
    }

    @Test
    void wrongArchitectureIsNamed() throws Exception {
        byte[] elf = TinyElf.of(exit(0));
        elf[18] = 62; // EM_X86_64
        Result r = RivetRunner.run(30, "run", write("x86", elf).toString());
        assertThat(r.exitCode()).isEqualTo(126);
        assertThat(r.stderr().strip()).doesNotContain("\n").contains("not RISC-V");
    }

    @Test
    void overlappingSegmentsAreRefused() throws Exception {
        Result r = RivetRunner.run(30, "run", write("overlap", TinyElf.withOverlappingSegments(exit(0))).toString());
        assertThat(r.exitCode()).isEqualTo(126);
        assertThat(r.stderr().strip()).doesNotContain("\n").contains("overlap");
    }

    @Test
    void missingProgramIs127() throws Exception {
        Result r = RivetRunner.run(30, "run", dir.resolve("nope").toString());
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr().strip()).doesNotContain("\n").contains("nope");
    }

    @Test
    void badOptionIsAUsageError() throws Exception {
        Result r = RivetRunner.run(30, "run", "--max-memory", "lots", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("lots").doesNotContain("Exception");
    }
}
