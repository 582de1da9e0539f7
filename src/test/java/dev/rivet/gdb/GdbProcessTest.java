package dev.rivet.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real gdb-multiarch against {@code rivet run --gdb}: C programs built with -g -O0 -static. */
class GdbProcessTest {
    @TempDir
    static Path dir;
    static Path squares;
    static Path signals;

    @BeforeAll
    static void build() throws Exception {
        GdbTools.assumeTools();
        squares = GdbTools.compileC("squares", dir);
        signals = GdbTools.compileC("signals", dir);
    }

    @Test
    void breaksInAFunctionReadsRegistersAndLocalsStepsAndRunsToExit() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "run", "--gdb", "0", "--gdb-wait", squares.toString())) {
            String out = GdbTools.gdb(squares, r.port(),
                    "break square", "continue", "p x", "info registers a0", "p $pc", "bt",
                    "finish", "next", "p total", "next", "next", "step", "p x", "info locals",
                    "monitor maps", "monitor help", "delete", "continue");
            assertThat(out).contains("Breakpoint 1, square (x=1) at squares.c:7");
            assertThat(out).contains("$1 = 1");
            assertThat(out).containsPattern("a0 +0x1\\s+1");
            assertThat(out).containsPattern("\\$2 = \\(void \\(\\*\\)\\(\\)\\) 0x[0-9a-f]+ <square\\+\\d+>");
            assertThat(out).containsPattern("#1 +0x[0-9a-f]+ in main \\(argc=1, argv=0x[0-9a-f]+\\) at squares.c:14");
            assertThat(out).contains("Value returned is $3 = 1");
            // next: line 15, where total is 1; then the loop header, the call line, and step into square(2).
            assertThat(out).contains("15\t        counter = total;");
            assertThat(out).contains("$4 = 1");
            assertThat(out).contains("Breakpoint 1, square (x=2) at squares.c:7");
            assertThat(out).contains("$5 = 2");
            assertThat(out).contains("result = ");
            assertThat(out).containsPattern("0000000[0-9a-f]{5}-0000000[0-9a-f]{5} r-xp");
            assertThat(out).contains("monitor commands: maps");
            assertThat(out).contains("[Inferior 1 (Remote target) exited with code 03]");
            assertThat(r.process().waitFor(30)).isEqualTo(3);
            assertThat(r.process().stdout()).isEqualTo("total 30\n");
        }
    }

    @Test
    void watchpointsAndHardwareBreakpointsTrigger() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "run", "--gdb", "127.0.0.1:0", "--gdb-wait", squares.toString())) {
            String out = GdbTools.gdb(squares, r.port(),
                    "watch counter", "continue", "continue", "delete",
                    "hbreak square", "continue", "p x", "delete",
                    "rwatch counter", "awatch counter", "info watchpoints", "delete", "continue");
            assertThat(out).contains("Hardware watchpoint 1: counter");
            assertThat(out).containsPattern("Old value = 0\\s+New value = 1\\s");
            assertThat(out).containsPattern("Old value = 1\\s+New value = 5\\s");
            assertThat(out).contains("Hardware assisted breakpoint 2 at");
            assertThat(out).contains("Breakpoint 2, square (x=3)");
            assertThat(out).contains("$1 = 3");
            assertThat(out).contains("read watchpoint").contains("acc watchpoint");
            assertThat(out).contains("exited with code 03");
            assertThat(r.process().waitFor(30)).isEqualTo(3);
        }
    }

    @Test
    void reportsSignalsThreadsAndPassesSignalsOn() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "run", "--gdb", "0", "--gdb-wait", signals.toString())) {
            String out = GdbTools.gdb(signals, r.port(),
                    "continue", "break worker", "continue", "info threads", "delete", "continue",
                    "p $pc", "continue");
            assertThat(out).contains("Program received signal SIGUSR1, User defined signal 1.");
            assertThat(out).contains("[New Thread 2]");
            assertThat(out).contains("Thread 2 hit Breakpoint 1, worker (arg=0x0) at signals.c:11");
            assertThat(out).containsPattern("1 +Thread 1 \\(tid 1\\)");
            assertThat(out).containsPattern("\\* 2 +Thread 2 \\(tid 2\\) +worker");
            // The handler ran (hits == 1), so main went on to its null-pointer store.
            assertThat(out).contains("Thread 1 received signal SIGSEGV, Segmentation fault.");
            assertThat(out).contains("*p = 1;");
            assertThat(out).contains("Program terminated with signal SIGSEGV, Segmentation fault.");
            assertThat(r.process().waitFor(30)).isEqualTo(139);
        }
    }

    @Test
    void aSignalTheDebuggerDoesNotPassIsDiscarded() throws Exception {
        try (GdbTools.Rivet r = GdbTools.start(dir, "run", "--gdb", "0", "--gdb-wait", signals.toString())) {
            String out = GdbTools.gdb(signals, r.port(), "handle SIGUSR1 nostop noprint nopass", "continue");
            // Without the handler running, main returns 1 before reaching its fault.
            assertThat(out).doesNotContain("SIGUSR1, User defined").contains("exited with code 01");
            assertThat(r.process().waitFor(30)).isEqualTo(1);
        }
    }

    @Test
    void ctrlCStopsAThreadBlockedInASystemCallAndKillEndsTheGuest() throws Exception {
        Path busybox = GdbTools.GUEST.resolve("busybox.rv64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(busybox), "no reference busybox");
        try (GdbTools.Rivet r = GdbTools.start(dir, "run", "--gdb", "0", busybox.toString(), "sleep", "60")) {
            Path log = dir.resolve("ctrlc.txt");
            Process gdb = GdbTools.gdbAsync(null, r.port(), log, "set debug remote 1", "continue",
                    "set debug remote 0", "p $a7", "info threads", "kill");
            GdbTools.awaitOutput(log, "Sending packet: $vCont;c", 60);
            Thread.sleep(500);
            GdbTools.interrupt(gdb);
            assertThat(gdb.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            assertThat(out).contains("Program received signal SIGINT, Interrupt.");
            // Stopped in the sleep system call: nanosleep (101) or clock_nanosleep (115).
            assertThat(out).containsPattern("\\$1 = (101|115)");
            assertThat(out).containsPattern("\\* 1 +Thread 1");
            assertThat(r.process().waitFor(30)).isEqualTo(137);
        }
    }
}
