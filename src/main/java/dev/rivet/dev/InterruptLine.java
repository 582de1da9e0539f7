package dev.rivet.dev;

/**
 * A level-triggered interrupt wire from a device to an interrupt controller. The device raises it
 * while it wants service and lowers it when that condition is gone; the controller decides what
 * the harts see.
 */
@FunctionalInterface
public interface InterruptLine {
    void set(boolean level);

    /** A line connected to nothing. */
    InterruptLine NONE = level -> { };
}
