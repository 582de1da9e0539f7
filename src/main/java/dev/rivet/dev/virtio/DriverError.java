package dev.rivet.dev.virtio;

/**
 * The driver broke the rules of the virtio specification: a malformed descriptor chain (a loop,
 * an address outside guest RAM, a readable buffer after a writable one, a chain longer than
 * allowed), a ring outside RAM, or a request a device cannot parse. The transport answers it by
 * setting DEVICE_NEEDS_RESET (virtio spec 2.1.2) instead of failing the host.
 */
public final class DriverError extends RuntimeException {
    public DriverError(String message) {
        super(message, null, false, false);
    }
}
