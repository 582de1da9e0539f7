package dev.rivet.host;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Random bytes from the host's operating system: its random device ({@code /dev/urandom}) where
 * there is one, else (or if reading it fails) {@link SecureRandom}. What guests get for
 * getrandom(2), {@code AT_RANDOM}, their {@code /dev/urandom}, virtio-rng and a device tree's
 * rng-seed.
 *
 * <p>Not SecureRandom everywhere because its first use costs a start of Rivet about 30 ms (its
 * providers are found and initialized, and its default generator seeds a SHA1PRNG to mix with the
 * device's bytes), which every {@code rivet run} and {@code rivet boot} paid before the guest ran
 * its first instruction; reading the device costs a tenth of a millisecond. The device is opened
 * once per JVM, on first use, and shared by every instance (a JVM running tests makes hundreds).
 */
public final class HostEntropy implements RandomGenerator {
    private static final String DEVICE = "/dev/urandom";
    /**
     * A FileInputStream, which an interrupt does not close (guest threads' host threads get one
     * when a signal must reach them in a blocking call): an interruptible channel's would close
     * for every thread that shares it. Should reading fail anyway, SecureRandom takes over.
     */
    private static InputStream device;
    private static SecureRandom fallback;

    @Override
    public void nextBytes(byte[] bytes) {
        fill(bytes);
    }

    private static synchronized void fill(byte[] bytes) {
        if (fallback == null && device == null) {
            try {
                device = new FileInputStream(DEVICE);
            } catch (IOException | SecurityException e) {
                fallback = new SecureRandom();
            }
        }
        if (fallback == null) {
            try {
                if (device.readNBytes(bytes, 0, bytes.length) == bytes.length) return;
            } catch (IOException e) {
                // Taken over below.
            }
            fallback = new SecureRandom();
        }
        fallback.nextBytes(bytes);
    }

    @Override
    public long nextLong() {
        byte[] b = new byte[Long.BYTES];
        nextBytes(b);
        long v = 0;
        for (byte x : b) v = v << 8 | (x & 0xff);
        return v;
    }
}
