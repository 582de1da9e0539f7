package dev.rivet.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real gdb-multiarch against {@code rivet boot --gdb}: a bare-metal program and the reference Linux guest. */
class GdbSystemTest {
    @TempDir
    static Path dir;
    static Path bare;

    @BeforeAll
    static void build() throws Exception {
        GdbTools.assumeTools();
        bare = GdbTools.compileBare(dir);
    }

    @Test
    void breaksOnAnAddressReadsCsrsAndStepsAcrossATrap() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "boot", "--bios", "none", "--kernel", bare.toString(),
                "--gdb", "0", "--gdb-wait")) {
            String out = GdbTools.gdb(bare, r.port(),
                    "info threads", "break *before_ecall", "continue", "p $s0", "info registers mstatus",
                    "p $mcause", "info symbol $mtvec", "p $priv",
                    // gdb steps RISC-V by software breakpoints: stepi over ecall runs the handler and
                    // stops after it returns, with mcause and mepc showing the trap was taken.
                    "stepi", "info symbol $pc", "p $mcause", "info symbol $mepc",
                    "monitor priv", "monitor satp", "monitor phys 0x80000000 16", "x/4xb 0x80000000", "monitor bogus",
                    "watch *(long *)&data_word", "continue", "delete",
                    "set var *(long *)&data_word = 7", "continue");
            assertThat(out).containsPattern("\\* 1 +Thread 1 \\(hart 0, M-mode\\) 0x0+1000 in \\?\\? \\(\\)");
            assertThat(out).contains("Breakpoint 1, before_ecall () at bare.S:");
            assertThat(out).contains("$1 = (void *) 0x5");
            assertThat(out).containsPattern("mstatus +0xa00000000");
            assertThat(out).contains("$2 = 0");
            assertThat(out).contains("trap_handler in section .text");
            assertThat(out).contains("$3 = 3");
            assertThat(out).contains("after_ecall in section .text\n$4 = 11\nafter_ecall in section .text");
            assertThat(out).contains("hart 0: M-mode (priv 3)");
            assertThat(out).contains("satp 0x0000000000000000: Bare");
            assertThat(out).containsPattern("0000000080000000: ([0-9a-f]{2} ){15}[0-9a-f]{2}\n");
            assertThat(out).contains("unknown monitor command 'bogus'");
            assertThat(out).containsPattern("Old value = 0\\s+New value = 42");
            assertThat(out).contains("[Inferior 1 (Remote target) exited normally]");
            assertThat(r.process().waitFor(30)).isEqualTo(0);
            assertThat(r.process().stdout()).isEqualTo("K\n");
            // The first bytes of the program, as monitor phys and x show them, agree.
            String phys = out.lines().filter(l -> l.startsWith("0000000080000000:")).findFirst().orElseThrow();
            String x = out.lines().filter(l -> l.startsWith("0x80000000 <_start>:")).findFirst().orElseThrow();
            assertThat(phys.substring(18, 29)).isEqualTo(x.substring(x.indexOf(':') + 1).trim().replace("0x", "").replace("\t", " "));
        }
    }

    @Test
    void hardwareSingleStepEntersTheTrapHandler() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "boot", "--bios", "none", "--kernel", bare.toString(),
                "--gdb", "0", "--gdb-wait")) {
            String out = GdbTools.gdb(bare, r.port(),
                    "hbreak *before_ecall", "continue", "delete",
                    // The protocol's own single step (vCont;s), which gdb itself does not use on RISC-V.
                    "maint packet vCont;s:1", "maint flush register-cache", "info symbol $pc", "p $mcause",
                    "info symbol $mepc", "maint packet vCont;s:1", "maint flush register-cache", "info symbol $pc",
                    "p $t5", "continue");
            assertThat(out).contains("Hardware assisted breakpoint 1 at 0x80000016");
            assertThat(out).contains("received: \"T05thread:1;20:8000008000000000;\"");
            assertThat(out).contains("trap_handler in section .text\n$1 = 11\nbefore_ecall in section .text");
            assertThat(out).contains("trap_handler + 4 in section .text\n$2 = 11");
            // Left alone, the program gives up waiting for the debugger and fails with exit code 5.
            assertThat(out).contains("exited with code 05");
            assertThat(r.process().waitFor(30)).isEqualTo(5);
        }
    }

    @Test
    void breaksAtTheLinuxKernelEntryAndReadsMemoryThroughTheMmuAfterCtrlC() throws Exception {
        Path guest = GdbTools.GUEST;
        assumeTrue(Files.isRegularFile(guest.resolve("Image")) && Files.isRegularFile(guest.resolve("fw_dynamic.bin")),
                "no reference guest in " + guest);
        try (GdbTools.Rivet r = GdbTools.start(dir, "boot", "--bios", guest.resolve("fw_dynamic.bin").toString(),
                "--kernel", guest.resolve("Image").toString(), "--initrd", guest.resolve("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet", "--gdb", "0", "--gdb-wait")) {
            Path log = dir.resolve("linux-gdb.txt");
            Process gdb = GdbTools.gdbAsync(null, r.port(), log,
                    "hbreak *0x80200000", "continue", "p/x $pc", "p $priv", "p/x $a1", "monitor satp", "delete",
                    "continue", "p $priv", "p ($satp >> 60) & 15", "p $pc", "x/i $pc", "eval \"monitor translate 0x%lx\", $pc",
                    "kill");
            // Let the kernel boot (it turns on the MMU early) until init speaks, then press Ctrl-C.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < end && !r.process().stdout().contains("guest: booted")) Thread.sleep(100);
            assertThat(r.process().stdout()).contains("guest: booted");
            GdbTools.interrupt(gdb);
            assertThat(gdb.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            assertThat(out).contains("Breakpoint 1, 0x0000000080200000 in ?? ()");
            assertThat(out).contains("$1 = 0x80200000");
            assertThat(out).contains("$2 = 1"); // OpenSBI starts the kernel in S-mode
            assertThat(out).containsPattern("\\$3 = 0x8[0-9a-f]{7}"); // a1: the device tree in RAM
            assertThat(out).contains("satp 0x0000000000000000: Bare");
            assertThat(out).contains("Program received signal SIGINT, Interrupt.");
            // Linux runs with paging on (Sv39, Sv48 or Sv57), in the kernel (S) or in a program (U);
            // gdb reads the instruction at pc through that translation.
            assertThat(out).containsPattern("\\$4 = [01]\n\\$5 = (8|9|10)\n");
            assertThat(out).containsPattern("=> 0x[0-9a-f]+:\t[a-z]");
            assertThat(out).containsPattern("0x[0-9a-f]+ -> physical 0x8[0-9a-f]{7}");
            assertThat(r.process().waitFor(30)).isEqualTo(0);
        }
    }
}
