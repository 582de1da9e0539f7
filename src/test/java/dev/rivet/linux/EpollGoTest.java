package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Go program: goroutines, channels, time.Sleep, select with time.After, a ticker, a mutex, and
 * os.Pipe files read through the netpoller (non-blocking, edge-triggered epoll) including a read
 * deadline. Go's runtime waits in epoll_pwait, wakes itself through a pipe, and parks threads on
 * futexes; its scheduler preempts with SIGURG. It must print what it prints under qemu-riscv64.
 */
class EpollGoTest {
    @TempDir Path tmp;

    private static final String EXPECTED = """
            sum of squares: 650
            timed out after >= 50ms: true
            got finished
            ticks: 5
            counter: 5000
            read: line 0
            read: line 1
            read: line 2
            read: line 3
            read: line 4
            lines: 5 err: <nil>
            deadline: true
            """;

    @Test
    void goroutinesTimersAndNetpollerRunAsUnderQemu() throws Exception {
        Path program = PollPrograms.compileGo(tmp, "goroutines");
        PollPrograms.Result r = PollPrograms.rivet(program);
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isEqualTo(EXPECTED);
        if (PollPrograms.onPath("qemu-riscv64")) {
            PollPrograms.Result q = PollPrograms.qemu(program);
            assertThat(r.stdout()).as("same output as qemu-riscv64").isEqualTo(q.stdout());
        }
    }
}
