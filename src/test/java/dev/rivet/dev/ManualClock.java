package dev.rivet.dev;

import dev.rivet.cpu.Clock;

/** A clock that moves only when told to. */
final class ManualClock implements Clock {
    long nanos;

    @Override
    public long nanos() {
        return nanos;
    }

    void advanceTicks(long ticks) {
        nanos += ticks * (1_000_000_000L / TIMEBASE_HZ);
    }
}
