package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eventfd2 in counter and semaphore mode, its limits, errors and poll readiness (expected output as under qemu-riscv64). */
class PollEventFdTest {
    @TempDir Path tmp;

    @Test
    void eventfdCountsAndBlocksLikeLinux() throws Exception {
        PollPrograms.Result r = PollPrograms.rivet(PollPrograms.compileC(tmp, "eventfd"));
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isEqualTo("""
                cloexec=1 nonblock=1
                counter 3: revents=0x5
                counter read: r=8 v=7
                empty read: r=-1 Resource temporarily unavailable
                counter 0: revents=0x4
                short read: r=-1 Invalid argument
                short write: r=-1 Invalid argument
                write max: r=-1 Invalid argument
                write max-1: r=8 ok
                full: revents=0x1
                overflow: r=-1 Resource temporarily unavailable
                drain: r=8 v=0xfffffffffffffffe
                sem read 0: r=8 v=1 ok
                sem read 1: r=8 v=1 ok
                sem read 2: r=-1 v=0 Resource temporarily unavailable
                sem after +3: r=8 v=1
                bad flags: Invalid argument
                blocking read: r=8 v=5
                """);
    }
}
