package dev.rivet.dev;

/**
 * A memory-mapped device as the bus sees it: accesses by offset within its own register window.
 * A device never knows where the board placed it (principle 1 of the architecture notes).
 */
public interface Device {
    /** Size in bytes of the register window the device answers. */
    long size();

    /** Reads {@code size} bytes (1, 2, 4 or 8) at {@code offset}, zero-extended. */
    long read(long offset, int size);

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}. */
    void write(long offset, int size, long value);

    /** A short name for traces and the device tree. */
    String name();
}
