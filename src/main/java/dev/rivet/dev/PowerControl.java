package dev.rivet.dev;

/**
 * What a guest can ask of the machine's power: the board implements it (stop the harts, report an
 * exit status, restart). Devices such as {@link SysconFinisher} only call it.
 */
public interface PowerControl {
    /** The guest powered off normally (exit status 0). */
    void poweroff();

    /** The guest asked for a reset of the whole machine. */
    void reset();

    /** The guest stopped with a failure code (a test finisher reporting a failed run). */
    void fail(int code);
}
