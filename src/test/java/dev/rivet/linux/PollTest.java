package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * poll, ppoll and select/pselect6 on pipes, run as riscv64 programs under ./rivet. The expected
 * lines are what the same programs print under qemu-riscv64 (Linux's own implementation).
 */
class PollTest {
    @TempDir Path tmp;

    @Test
    void pollReportsPipeReadinessTimeoutsAndBadDescriptors() throws Exception {
        PollPrograms.Result r = PollPrograms.rivet(PollPrograms.compileC(tmp, "poll_pipe"));
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isEqualTo("""
                empty: n=0 revents=0
                writer: n=1 revents=0 0x4 neg=0
                after write: n=1 revents=0x1
                timeout: n=0 waited>=50:1
                woken: n=1 revents=0x1 quick:1
                ppoll timeout: n=0
                bad: n=1 revents=0x20
                data+hup: n=1 revents=0x51
                hup: n=1 revents=0x10
                no reader: n=1 revents=0xc
                """);
    }

    @Test
    void pselectUsesBitmapsAndUpdatesTheTimeout() throws Exception {
        PollPrograms.Result r = PollPrograms.rivet(PollPrograms.compileC(tmp, "pselect"));
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isEqualTo("""
                initial: n=1 r=0 w=1
                after write: n=2 r=1 w=1
                timeout: n=0 r=0 waited>=60:1 left=0.000000000
                ready: n=1 r=1 left_positive=1 left<5s=1
                bad fd: n=-1 errno=Bad file descriptor
                eof readable: n=1 r=1
                negative nfds: n=-1 errno=Invalid argument
                """);
    }

    /**
     * A timer signal interrupts an endless ppoll (EINTR, handler run); a signal pending but blocked
     * is let in by ppoll's and epoll_pwait's temporary mask, and the old mask is back afterwards;
     * a ready descriptor wins over a signal the temporary mask blocks; a child's exit (SIGCHLD,
     * ignored by default) does not interrupt poll, but its closing the pipe wakes it with POLLHUP.
     */
    @Test
    void signalsInterruptPpollUnderItsTemporaryMask() throws Exception {
        PollPrograms.Result r = PollPrograms.rivet(PollPrograms.compileC(tmp, "ppoll_signal"));
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe()).isEqualTo("""
                alarm: n=-1 errno=Interrupted system call handler=14
                pending, handler=0
                mask: n=-1 errno=Interrupted system call handler=10 still-blocked=1
                ready+blocked: n=1 handler=0 still-blocked=1
                after unblock: handler=10
                epoll_pwait: n=-1 errno=Interrupted system call handler=10 still-blocked=1
                child exit: n=1 revents=0x10
                """);
    }
}
