package dev.rivet.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostEntropyTest {
    @Test
    void drawsDifferFromEachOtherAndFromZeros() {
        HostEntropy entropy = new HostEntropy();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            byte[] b = new byte[32];
            entropy.nextBytes(b);
            assertThat(b).isNotEqualTo(new byte[32]);
            seen.add(java.util.HexFormat.of().formatHex(b));
        }
        assertThat(seen).hasSize(16);
    }

    @Test
    void fillsLargeBuffersWhole() {
        byte[] b = new byte[1 << 20];
        new HostEntropy().nextBytes(b);
        // Each 4 KiB of a megabyte of random bytes has some nonzero byte.
        for (int off = 0; off < b.length; off += 4096) {
            boolean nonzero = false;
            for (int i = off; i < off + 4096; i++) nonzero |= b[i] != 0;
            assertThat(nonzero).as("bytes at %d", off).isTrue();
        }
    }

    @Test
    void longsComeFromTheSameBytes() {
        HostEntropy entropy = new HostEntropy();
        assertThat(entropy.nextLong()).isNotEqualTo(entropy.nextLong());
    }
}
