package dev.rivet.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Unchecked page access reads and writes exactly what the page's checked segment does. */
class HostMemoryTest {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    @Test
    void valuesAreLittleEndianAtAnyOffsetOfThePage() {
        Page page = new Page();
        long at = page.address;
        for (int off : new int[] {0, 1, 3, 7, 4087, 4088}) {
            HostMemory.putLong(at + off, 0x8877665544332211L);
            assertThat(page.data.get(LONG, off)).isEqualTo(0x8877665544332211L);
            assertThat(HostMemory.getLong(at + off)).isEqualTo(0x8877665544332211L);
            assertThat(HostMemory.getInt(at + off + 4)).isEqualTo(0x88776655);
            assertThat(HostMemory.getShort(at + off + 6)).isEqualTo((short) 0x8877);
            assertThat(HostMemory.getByte(at + off + 7)).isEqualTo((byte) 0x88);
        }
        HostMemory.putInt(at + 4092, -2);
        assertThat(page.data.get(INT, 4092)).isEqualTo(0xfffffffe);
        HostMemory.putShort(at + 4094, (short) 0x1234);
        assertThat(page.data.get(INT, 4092)).isEqualTo(0x1234fffe);
        HostMemory.putByte(at + 4095, (byte) 0xab);
        assertThat(page.data.get(ValueLayout.JAVA_BYTE, 4095)).isEqualTo((byte) 0xab);
        assertThat(page.data.get(ValueLayout.JAVA_BYTE, 4094)).isEqualTo((byte) 0x34);
        HostMemory.write(at + 8, 2, 0xfffffedcL);
        assertThat(HostMemory.read(at + 8, 2)).isEqualTo(0xfedcL);
        assertThat(HostMemory.read(at + 8, 1)).isEqualTo(0xdcL);
    }

    @Test
    void aPageReadsAndWritesOnlyWithinItself() {
        Page page = new Page();
        page.write(4088, 8, -1);
        assertThat(page.read(4092, 4)).isEqualTo(0xffffffffL);
        assertThatThrownBy(() -> page.read(4093, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> page.write(-1, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aCopyHasTheSameBytesAndItsOwnMemory() {
        Page page = new Page();
        page.write(100, 8, 0x0123456789abcdefL);
        Page copy = page.copy();
        assertThat(copy.address).isNotEqualTo(page.address);
        assertThat(copy.read(100, 8)).isEqualTo(0x0123456789abcdefL);
        copy.write(100, 1, 0);
        assertThat(page.read(100, 1)).isEqualTo(0xefL);
        assertThat(page.address % 8).as("aligned for every guest access").isZero();
    }

    @Test
    void copiesBetweenAPageAndAnArrayStayWithinBoth() {
        Page page = new Page();
        byte[] src = {1, 2, 3, 4, 5, 6};
        page.copyIn(src, 1, 4091, 5);
        assertThat(page.read(4091, 4)).isEqualTo(0x05040302L);
        assertThat(page.data.get(ValueLayout.JAVA_BYTE, 4095)).isEqualTo((byte) 6);
        byte[] dst = new byte[8];
        page.copyOut(4092, dst, 3, 4);
        assertThat(dst).containsExactly(0, 0, 0, 3, 4, 5, 6, 0);
        assertThatThrownBy(() -> page.copyIn(src, 0, 4092, 5)).as("past the page").isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> page.copyIn(src, 2, 0, 5)).as("past the array").isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> page.copyOut(-1, dst, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> page.copyOut(0, dst, 4, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> page.copyOut(0, dst, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(page.read(0, 8)).as("nothing written by the refused copies").isZero();
    }
}
