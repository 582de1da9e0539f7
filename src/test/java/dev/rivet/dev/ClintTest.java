package dev.rivet.dev;

import static dev.rivet.dev.HartInterrupts.MSIP;
import static dev.rivet.dev.HartInterrupts.MTIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** CLINT (ACLINT MSWI + MTIMER layout, QEMU hw/intc/riscv_aclint.c): msip, mtime, mtimecmp, MTIP. */
class ClintTest {
    final ManualClock clock = new ManualClock();
    final FakeHarts harts = new FakeHarts(2);
    final Clint clint = new Clint(2, clock, harts);

    @Test
    void msipDrivesMachineSoftwareInterruptOfItsHart() {
        clint.write(4, 4, 1);
        assertThat(harts.has(1, MSIP)).isTrue();
        assertThat(harts.has(0, MSIP)).isFalse();
        assertThat(clint.read(4, 4)).isEqualTo(1);
        assertThat(clint.read(0, 4)).isZero();

        clint.write(4, 4, 0xffff_fffeL); // only bit 0 exists
        assertThat(harts.has(1, MSIP)).isFalse();
        assertThat(clint.read(4, 4)).isZero();
    }

    @Test
    void msipOfAHartThatDoesNotExistReadsZeroAndIgnoresWrites() {
        clint.write(8, 4, 1);
        assertThat(clint.read(8, 4)).isZero();
        assertThat(harts.calls).isEmpty();
    }

    @Test
    void mtimeCountsTimebaseTicksAndReadsInHalves() {
        clock.nanos = 0x1_2345_6789L * 100 + 99;
        assertThat(clint.read(Clint.MTIME, 8)).isEqualTo(0x1_2345_6789L);
        assertThat(clint.read(Clint.MTIME, 4)).isEqualTo(0x2345_6789L);
        assertThat(clint.read(Clint.MTIME + 4, 4)).isEqualTo(1);
        assertThat(clint.mtime()).isEqualTo(0x1_2345_6789L);
        clock.advanceTicks(10);
        assertThat(clint.read(Clint.MTIME, 8)).isEqualTo(0x1_2345_6793L);
    }

    @Test
    void writingMtimeMovesTheTimebaseWhichKeepsCounting() {
        clock.advanceTicks(5000);
        clint.write(Clint.MTIME, 8, 1000);
        assertThat(clint.mtime()).isEqualTo(1000);
        clock.advanceTicks(500);
        assertThat(clint.read(Clint.MTIME, 8)).isEqualTo(1500);

        clint.write(Clint.MTIME + 4, 4, 2); // high half only
        assertThat(clint.mtime()).isEqualTo(0x2_0000_0000L + 1500);
        clint.write(Clint.MTIME, 4, 7); // low half only
        assertThat(clint.mtime()).isEqualTo(0x2_0000_0007L);
    }

    @Test
    void mtimecmpStartsAtAllOnesSoNoTimerIsPending() {
        assertThat(clint.read(Clint.MTIMECMP, 8)).isEqualTo(-1L);
        clock.advanceTicks(1_000_000);
        clint.updateTimers();
        assertThat(harts.has(0, MTIP)).isFalse();
        assertThat(clint.nanosUntilTimer(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void timerFiresWhenMtimeReachesMtimecmp() {
        clock.advanceTicks(1000);
        clint.write(Clint.MTIMECMP, 8, 1100);
        assertThat(harts.has(0, MTIP)).isFalse();
        clock.advanceTicks(99);
        clint.updateTimers();
        assertThat(harts.has(0, MTIP)).isFalse();
        clock.advanceTicks(1);
        clint.updateTimers();
        assertThat(harts.has(0, MTIP)).isTrue();
        assertThat(harts.has(1, MTIP)).isFalse();
    }

    @Test
    void movingMtimecmpForwardClearsMtipAtOnce() {
        clock.advanceTicks(1000);
        clint.write(Clint.MTIMECMP + 8, 8, 500); // in the past: pending at once
        assertThat(harts.has(1, MTIP)).isTrue();
        clint.write(Clint.MTIMECMP + 8, 8, 2000);
        assertThat(harts.has(1, MTIP)).isFalse();
    }

    @Test
    void mtimecmpHalvesAreWrittenSeparately() {
        clint.write(Clint.MTIMECMP + 4, 4, 0x1234);
        clint.write(Clint.MTIMECMP, 4, 0x5678_9abcL);
        assertThat(clint.read(Clint.MTIMECMP, 8)).isEqualTo(0x1234_5678_9abcL);
        assertThat(clint.read(Clint.MTIMECMP, 4)).isEqualTo(0x5678_9abcL);
        assertThat(clint.read(Clint.MTIMECMP + 4, 4)).isEqualTo(0x1234);
        assertThat(clint.mtimecmp(0)).isEqualTo(0x1234_5678_9abcL);
    }

    @Test
    void comparisonIsUnsigned() {
        clint.write(Clint.MTIME, 8, 0x7fff_ffff_ffff_fff0L);
        clint.write(Clint.MTIMECMP, 8, 0x8000_0000_0000_0000L); // "negative" as a Java long
        assertThat(harts.has(0, MTIP)).isFalse();
        clock.advanceTicks(16);
        clint.updateTimers();
        assertThat(harts.has(0, MTIP)).isTrue();
    }

    @Test
    void writingMtimeReevaluatesEveryHart() {
        clint.write(Clint.MTIMECMP, 8, 100);
        clint.write(Clint.MTIMECMP + 8, 8, 200);
        clint.write(Clint.MTIME, 8, 150);
        assertThat(harts.has(0, MTIP)).isTrue();
        assertThat(harts.has(1, MTIP)).isFalse();
        clint.write(Clint.MTIME, 8, 0);
        assertThat(harts.has(0, MTIP)).isFalse();
    }

    @Test
    void mtipIsSignalledOnlyWhenItChanges() {
        clint.write(Clint.MTIMECMP, 8, 0);
        clint.updateTimers();
        clint.updateTimers();
        assertThat(harts.calls).containsExactly(new FakeHarts.Call(0, MTIP, true));
    }

    @Test
    void nanosUntilTimerCountsFromTheCurrentInstant() {
        clock.nanos = 1000 * 100 + 30; // 30 ns into tick 1000
        clint.write(Clint.MTIMECMP, 8, 1050);
        assertThat(clint.nanosUntilTimer(0)).isEqualTo(50 * 100 - 30);
        clint.write(Clint.MTIMECMP + 8, 8, 1010);
        assertThat(clint.nanosUntilAnyTimer()).isEqualTo(10 * 100 - 30);
        clock.nanos += 10 * 100 - 30;
        assertThat(clint.nanosUntilTimer(1)).isZero();
    }

    @Test
    void subWordWritesMergeIntoTheRegister() {
        clint.write(Clint.MTIMECMP, 8, 0);
        clint.write(Clint.MTIMECMP + 2, 2, 0xbeef);
        assertThat(clint.read(Clint.MTIMECMP, 8)).isEqualTo(0xbeef_0000L);
        assertThat(clint.read(Clint.MTIMECMP + 2, 1)).isEqualTo(0xef);
    }

    @Test
    void rejectsAnImpossibleHartCount() {
        assertThatThrownBy(() -> new Clint(0, clock, harts)).isInstanceOf(IllegalArgumentException.class);
    }
}
