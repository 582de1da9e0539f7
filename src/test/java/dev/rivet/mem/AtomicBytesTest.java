package dev.rivet.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Atomic words of a page: little-endian, bounds and alignment checked, truly atomic. */
class AtomicBytesTest {
    @Test
    void wordsAreLittleEndian() {
        Page page = new Page();
        for (int i = 0; i < 8; i++) page.write(16 + i, 1, i + 1);
        assertThat(AtomicBytes.getLongVolatile(page, 16)).isEqualTo(0x0807060504030201L);
        assertThat(AtomicBytes.getIntVolatile(page, 20)).isEqualTo(0x08070605);
        assertThat(AtomicBytes.compareAndSetInt(page, 20, 0x08070605, 0x11223344)).isTrue();
        assertThat(page.read(20, 1)).isEqualTo(0x44);
        assertThat(page.read(23, 1)).isEqualTo(0x11);
        assertThat(AtomicBytes.compareAndSetLong(page, 16, 0, -1)).isFalse();
        assertThat(AtomicBytes.getLongVolatile(page, 16)).isEqualTo(0x1122334404030201L);
    }

    @Test
    void misalignedOrOutsideIndicesAreRefused() {
        Page page = new Page();
        assertThatThrownBy(() -> AtomicBytes.getIntVolatile(page, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicBytes.compareAndSetLong(page, 4, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AtomicBytes.getLongVolatile(page, Page.SIZE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> AtomicBytes.getIntVolatile(page, -4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aCompareAndSetLosesNeitherItsUpdatesNorAnotherThreadsPlainByteStores() throws InterruptedException {
        Page page = new Page();
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
            for (int i = 0; i < writes; i++) page.write(1, 1, i); // plain stores to the same word
        });
        incrementer.start();
        writer.start();
        incrementer.join();
        writer.join();
        assertThat(page.read(0, 1)).isEqualTo(increments & 0xff);
        assertThat(page.read(1, 1)).isEqualTo((writes - 1) & 0xff);
    }
}
