package dev.rivet.dev;

import java.util.ArrayList;
import java.util.List;

/** An interrupt line that remembers its level and every change. */
final class RecordingLine implements InterruptLine {
    volatile boolean level;
    final List<Boolean> history = new ArrayList<>();

    @Override
    public synchronized void set(boolean on) {
        level = on;
        history.add(on);
    }
}
