package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * epoll on pipes and eventfds: epoll_ctl errors, level- against edge-triggered reporting (and
 * their order, as Linux's ready list gives it), EPOLLONESHOT and re-arming, entries dropping out
 * when their file is closed, nested instances, loops, timeouts and a wake-up from another thread.
 * The expected lines are the program's output under qemu-riscv64.
 */
class EpollTest {
    @TempDir Path tmp;

    @Test
    void levelEdgeAndOneShotBehaveLikeLinux() throws Exception {
        PollPrograms.Result r = PollPrograms.rivet(PollPrograms.compileC(tmp, "epoll"));
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isEqualTo("""
                add lt: ok
                add et: ok
                add again: File exists
                mod missing: No such file or directory
                del missing: No such file or directory
                add self: Invalid argument
                add bad fd: Bad file descriptor
                ctl on non-epoll: Invalid argument
                bad op: Invalid argument
                nothing: n=0
                both: n=2 [data=100 ev=0x1] [data=200 ev=0x1]
                level again: n=1 [data=100 ev=0x1]
                new edge: n=2 [data=100 ev=0x1] [data=200 ev=0x1]
                drained: n=0
                turn 1: n=1 [data=100 ev=0x1]
                turn 2: n=1 [data=200 ev=0x1]
                turn 3: n=1 [data=100 ev=0x1]
                mod to et: n=2 [data=200 ev=0x1] [data=100 ev=0x1]
                et quiet: n=1 [data=100 ev=0x1]
                edge after drain: n=1 [data=200 ev=0x1]
                oneshot: n=1 [data=300 ev=0x1]
                oneshot disarmed: n=0
                rearmed: n=1 [data=301 ev=0x5]
                eventfd et idle: n=0
                eventfd et post: n=1 [data=400 ev=0x1]
                eventfd et quiet: n=0
                eventfd et post again: n=1 [data=400 ev=0x1]
                mod to out: n=1 [data=401 ev=0x4]
                hup: n=1 [data=100 ev=0x10]
                closed dropped: n=0
                loop: Too many levels of symbolic links
                nested idle: n=0
                nested: n=2 [data=200 ev=0x1] [data=500 ev=0x1]
                timeout: n=0
                waited>=50:1
                blocking: n=1 [data=200 ev=0x1]
                maxevents 0: Invalid argument
                """);
    }
}
