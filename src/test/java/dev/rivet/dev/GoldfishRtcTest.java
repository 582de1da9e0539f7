package dev.rivet.dev;

import static dev.rivet.dev.GoldfishRtc.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Goldfish RTC (QEMU hw/rtc/goldfish_rtc.c): time halves, setting the clock, the alarm. */
class GoldfishRtcTest {
    long source = 0x1_2345_6789L;
    final RecordingLine irq = new RecordingLine();
    final GoldfishRtc rtc = new GoldfishRtc(() -> source, irq);

    long readTime() {
        long low = rtc.read(TIME_LOW, 4);
        return rtc.read(TIME_HIGH, 4) << 32 | low;
    }

    @Test
    void readingTimeLowLatchesTimeHigh() {
        assertThat(rtc.read(TIME_LOW, 4)).isEqualTo(0x2345_6789L);
        source = 0x7_0000_0000L; // the count moves on between the two reads
        assertThat(rtc.read(TIME_HIGH, 4)).isEqualTo(1);
        assertThat(readTime()).isEqualTo(0x7_0000_0000L);
        assertThat(rtc.read(TIME_LOW, 8)).isEqualTo(0x7_0000_0000L);
    }

    @Test
    void hostRtcShowsWallClockTimeAndMoves() throws Exception {
        GoldfishRtc host = new GoldfishRtc(InterruptLine.NONE);
        long before = System.currentTimeMillis() * 1_000_000L;
        long first = host.read(TIME_LOW, 4) | host.read(TIME_HIGH, 4) << 32;
        Thread.sleep(5);
        long second = host.read(TIME_LOW, 4) | host.read(TIME_HIGH, 4) << 32;
        assertThat(first).isBetween(before - 1_000_000_000L, before + 1_000_000_000L);
        assertThat(second - first).isGreaterThanOrEqualTo(4_000_000L);
    }

    @Test
    void writingTheTimeSetsTheCountWhichKeepsRunning() {
        rtc.write(TIME_HIGH, 4, 0x10);
        rtc.write(TIME_LOW, 4, 0x20);
        assertThat(readTime()).isEqualTo(0x10_0000_0020L);
        source += 1000;
        assertThat(readTime()).isEqualTo(0x10_0000_0020L + 1000);
        assertThat(rtc.now()).isEqualTo(0x10_0000_0020L + 1000);
    }

    @Test
    void alarmRaisesTheLineWhenDueAndClearInterruptLowersIt() {
        rtc.write(IRQ_ENABLED, 4, 1);
        long due = source + 5000;
        rtc.write(ALARM_HIGH, 4, due >>> 32);
        rtc.write(ALARM_LOW, 4, due & 0xffff_ffffL);
        assertThat(rtc.read(ALARM_STATUS, 4)).isEqualTo(1);
        assertThat(rtc.read(ALARM_LOW, 4) | rtc.read(ALARM_HIGH, 4) << 32).isEqualTo(due);
        assertThat(rtc.nanosUntilAlarm()).isEqualTo(5000);

        source += 4999;
        rtc.poll();
        assertThat(irq.level).isFalse();
        source += 1;
        rtc.poll();
        assertThat(irq.level).isTrue();
        assertThat(rtc.read(ALARM_STATUS, 4)).isZero();
        assertThat(rtc.nanosUntilAlarm()).isEqualTo(Long.MAX_VALUE);

        rtc.write(CLEAR_INTERRUPT, 4, 1);
        assertThat(irq.level).isFalse();
    }

    @Test
    void anAlarmInThePastFiresAtOnce() {
        rtc.write(IRQ_ENABLED, 4, 1);
        rtc.write(ALARM_HIGH, 4, 0);
        rtc.write(ALARM_LOW, 4, 5);
        assertThat(irq.level).isTrue();
        assertThat(rtc.read(ALARM_STATUS, 4)).isZero();
    }

    @Test
    void disabledInterruptHoldsTheAlarmUntilEnabled() {
        rtc.write(ALARM_HIGH, 4, 0);
        rtc.write(ALARM_LOW, 4, 5);
        assertThat(irq.level).isFalse();
        assertThat(rtc.read(IRQ_ENABLED, 4)).isZero();
        rtc.write(IRQ_ENABLED, 4, 1);
        assertThat(irq.level).isTrue();
    }

    @Test
    void clearAlarmDisarmsIt() {
        rtc.write(IRQ_ENABLED, 4, 1);
        rtc.write(ALARM_HIGH, 4, (source + 10) >>> 32);
        rtc.write(ALARM_LOW, 4, (source + 10) & 0xffff_ffffL);
        rtc.write(CLEAR_ALARM, 4, 1);
        assertThat(rtc.read(ALARM_STATUS, 4)).isZero();
        source += 100;
        rtc.poll();
        assertThat(irq.level).isFalse();
        assertThat(irq.history).isEmpty();
    }
}
