package dev.rivet.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Atomic words of a page's byte array: little-endian, bounds and alignment checked, truly atomic. */
class AtomicBytesTest {
    @Test
    void wordsAreLittleEndian() {
        byte[] page = new byte[Page.SIZE];
        for (int i = 0; i < 8; i++) page[16 + i] = (byte) (i + 1);
        assertThat(AtomicBytes.getLongVolatile(page, 16)).isEqualTo(0x0807060504030201L);
        assertThat(AtomicBytes.getIntVolatile(page, 20)).isEqualTo(0x08070605);
        assertThat(AtomicBytes.compareAndSetInt(page, 20, 0x08070605, 0x11223344)).isTrue();
        assertThat(page[20]).isEqualTo((byte) 0x44);
        assertThat(page[23]).isEqualTo((byte) 0x11);
        assertThat(AtomicBytes.compareAndSetLong(page, 16, 0, -1)).isFalse();
        assertThat(AtomicBytes.getLongVolatile(page, 16)).isEqualTo(0x1122334404030201L);
    }

    @Test
    void misalignedOrOutsideIndicesAreRefused() {
        byte[] page = new byte[Page.SIZE];
        assertThatThrownBy(() -> AtomicBytes.getIntVolatile(page, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicBytes.compareAndSetLong(page, 4, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicBytes.getLongVolatile(page, Page.SIZE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> AtomicBytes.getIntVolatile(page, -4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aCompareAndSetLosesNeitherItsUpdatesNorAnotherThreadsPlainByteStores() throws InterruptedException {
        byte[] page = new byte[Page.SIZE];
        int increments = 200_000, writes = 200_000;
        Thread incrementer = new Thread(() -> {
            for (int i = 0; i < increments; i++) {
                while (true) { // add 1 to byte 0 only, as an amoadd on a narrower field would
                    int old = AtomicBytes.getIntVolatile(page, 0);
                    int next = (old & ~0xff) | ((old + 1) & 0xff);
                    if (AtomicBytes.compareAndSetInt(page, 0, old, next)) break;
                }
            }
        });
        Thread writer = new Thread(() -> {
            for (int i = 0; i < writes; i++) page[1] = (byte) i; // plain stores to the same word
        });
        incrementer.start();
        writer.start();
        incrementer.join();
        writer.join();
        assertThat(page[0]).isEqualTo((byte) increments);
        assertThat(page[1]).isEqualTo((byte) (writes - 1));
    }
}
