package dev.rivet.dev.virtio;

/**
 * What a {@link VirtioDevice} needs of the transport it sits behind (virtio spec 4.2 for MMIO):
 * its queues, notifications to the driver, and the lock that serializes everything the device
 * does, whether on a hart's thread (a queue notification) or on a host thread of the device's own.
 */
public interface Transport {
    /** Held while the device runs: take it on any thread of the device's own before using queues. */
    Object lock();

    /** Queue {@code i} of the device. */
    Virtqueue queue(int i);

    /** Whether the driver accepted feature bit {@code bit}. */
    boolean negotiated(int bit);

    /** Whether the driver set DRIVER_OK and the device does not need a reset: queues may be used. */
    boolean live();

    /** Sends a used buffer notification for {@code q} if the driver wants one (2.7.7, 2.7.10). */
    void usedBuffers(Virtqueue q);

    /** The device configuration changed: bump the generation and notify the driver (4.2.2). */
    void configChanged();

    /**
     * Runs {@code work} on behalf of a host thread of the device's own (input arriving) under the
     * lock, if the device is live; a {@link DriverError} it throws marks the device as needing reset.
     */
    void runLocked(Runnable work);

    /** Guest RAM as the device may access it. */
    GuestRam ram();
}
