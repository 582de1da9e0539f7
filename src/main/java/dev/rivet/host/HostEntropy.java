package dev.rivet.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Random bytes from the host's operating system: its random device ({@code /dev/urandom}) where
 * there is one, else {@link SecureRandom}. What guests get for getrandom(2), {@code AT_RANDOM},
 * their {@code /dev/urandom}, virtio-rng and a device tree's rng-seed.
 *
 * <p>Not SecureRandom everywhere because its first use costs a start of Rivet about 30 ms (its
 * providers are found and initialized, and its default generator seeds a SHA1PRNG to mix with the
 * device's bytes), which every {@code rivet run} and {@code rivet boot} paid before the guest ran
 * its first instruction; reading the device costs a tenth of a millisecond. The device is opened
 * once per JVM, on first use, and shared by every instance (a JVM running tests makes hundreds).
 */
public final class HostEntropy implements RandomGenerator {
    private static final Path DEVICE = Path.of("/dev/urandom");
    private static InputStream device;
    private static SecureRandom fallback;

    @Override
    public void nextBytes(byte[] bytes) {
        fill(bytes);
    }

    private static synchronized void fill(byte[] bytes) {
        if (fallback == null && device == null) {
            try {
                device = Files.newInputStream(DEVICE);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                fallback = new SecureRandom();
            }
        }
        if (fallback != null) {
            fallback.nextBytes(bytes);
            return;
        }
        try {
            if (device.readNBytes(bytes, 0, bytes.length) != bytes.length) throw new IOException("short read");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + DEVICE, e);
        }
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
