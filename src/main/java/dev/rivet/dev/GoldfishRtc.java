package dev.rivet.dev;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Goldfish real-time clock (Android goldfish virtual hardware, GOLDFISH-VIRTUAL-HARDWARE.TXT;
 * QEMU hw/rtc/goldfish_rtc.c). A 64-bit count of nanoseconds since the Unix epoch, 32-bit registers:
 * <pre>
 *   0x00 TIME_LOW         read: low half of the count, latching the high half; write: sets it
 *   0x04 TIME_HIGH        read: the latched high half; write: sets the high half of the count
 *   0x08 ALARM_LOW        write: low half of the alarm time, and arms the alarm
 *   0x0c ALARM_HIGH       high half of the alarm time (written first)
 *   0x10 IRQ_ENABLED      bit 0: the alarm may raise the interrupt line
 *   0x14 CLEAR_ALARM      write: disarms the alarm
 *   0x18 ALARM_STATUS     1 while an alarm is armed
 *   0x1c CLEAR_INTERRUPT  write: acknowledges the interrupt
 * </pre>
 * The alarm needs no host timer: the board calls {@link #poll()} between CPU slices and may sleep
 * at most {@link #nanosUntilAlarm()}. Thread-safe.
 */
public final class GoldfishRtc implements Device {
    /** Size of the register window on the virt board. */
    public static final long SIZE = 0x1000;
    public static final int TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c,
            IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;

    private final LongSupplier source;
    private final InterruptLine irq;
    /** Guest time minus source time; changes when the guest sets the clock. */
    private long offset;
    private long alarm;
    private int timeHigh;
    private boolean alarmRunning, irqPending, irqEnabled, irqLevel;

    /**
     * @param epochNanos the time source, nanoseconds since the Unix epoch; for deterministic runs pass
     *                   a fixed start plus the guest clock
     * @param irq        wire to the interrupt controller (PLIC source 11 on the virt board)
     */
    public GoldfishRtc(LongSupplier epochNanos, InterruptLine irq) {
        this.source = epochNanos;
        this.irq = irq;
    }

    /** An RTC showing the host's wall-clock time. */
    public GoldfishRtc(InterruptLine irq) {
        this(GoldfishRtc::hostEpochNanos, irq);
    }

    /** Host wall-clock time in nanoseconds since the epoch. */
    public static long hostEpochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public String name() {
        return "rtc";
    }

    /** The current count: nanoseconds since the epoch as the guest sees them. */
    public synchronized long now() {
        return source.getAsLong() + offset;
    }

    /** Fires the alarm if its time has come; the board calls this between CPU slices. */
    public synchronized void poll() {
        if (alarmRunning && Long.compareUnsigned(now(), alarm) >= 0) {
            fire();
        }
    }

    /** Nanoseconds until an armed alarm is due (0 if overdue), or {@link Long#MAX_VALUE} if none is armed. */
    public synchronized long nanosUntilAlarm() {
        if (!alarmRunning) {
            return Long.MAX_VALUE;
        }
        long now = now();
        return Long.compareUnsigned(now, alarm) >= 0 ? 0 : alarm - now;
    }

    @Override
    public synchronized long read(long off, int size) {
        if (size == 8 && off == TIME_LOW) {
            long t = now(); // a 64-bit read returns the whole count at once
            timeHigh = (int) (t >>> 32);
            return t;
        }
        long r = switch ((int) off) {
            case TIME_LOW -> {
                // Reading TIME_LOW latches TIME_HIGH so the two halves belong to the same instant.
                long t = now();
                timeHigh = (int) (t >>> 32);
                yield t & 0xffff_ffffL;
            }
            case TIME_HIGH -> timeHigh & 0xffff_ffffL;
            case ALARM_LOW -> alarm & 0xffff_ffffL;
            case ALARM_HIGH -> alarm >>> 32;
            case IRQ_ENABLED -> irqEnabled ? 1 : 0;
            case ALARM_STATUS -> alarmRunning ? 1 : 0;
            default -> 0;
        };
        return size >= 4 ? r : r & ((1L << (size * 8)) - 1);
    }

    @Override
    public synchronized void write(long off, int size, long value) {
        long v = value & 0xffff_ffffL;
        switch ((int) off) {
            case TIME_LOW -> {
                if (size == 8) {
                    offset += value - now();
                } else {
                    long t = now();
                    offset += (t & 0xffff_ffff_0000_0000L | v) - t;
                }
            }
            case TIME_HIGH -> {
                long t = now();
                offset += (v << 32 | t & 0xffff_ffffL) - t;
            }
            case ALARM_LOW -> {
                alarm = size == 8 ? value : alarm & 0xffff_ffff_0000_0000L | v;
                arm();
            }
            case ALARM_HIGH -> alarm = v << 32 | alarm & 0xffff_ffffL;
            case IRQ_ENABLED -> {
                irqEnabled = (v & 1) != 0;
                update();
            }
            case CLEAR_ALARM -> alarmRunning = false;
            case CLEAR_INTERRUPT -> {
                irqPending = false;
                update();
            }
            default -> { }
        }
    }

    private void arm() {
        alarmRunning = true;
        poll(); // an alarm in the past fires at once
    }

    private void fire() {
        alarmRunning = false;
        irqPending = true;
        update();
    }

    private void update() {
        boolean on = irqPending && irqEnabled;
        if (on != irqLevel) {
            irqLevel = on;
            irq.set(on);
        }
    }
}
