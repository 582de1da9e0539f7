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

    /** Guest threads' host threads are interrupted to deliver signals; a read must not end the source. */
    @Test
    void aReadByAnInterruptedThreadLeavesTheSourceWorking() throws Exception {
        HostEntropy entropy = new HostEntropy();
        byte[][] got = new byte[2][32];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                entropy.nextBytes(got[0]);
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        t.start();
        t.join();
        assertThat(failed[0]).isNull();
        assertThat(got[0]).isNotEqualTo(new byte[32]);
        entropy.nextBytes(got[1]);
        assertThat(got[1]).isNotEqualTo(new byte[32]).isNotEqualTo(got[0]);
    }

    @Test
    void longsComeFromTheSameBytes() {
        HostEntropy entropy = new HostEntropy();
        assertThat(entropy.nextLong()).isNotEqualTo(entropy.nextLong());
    }
}
