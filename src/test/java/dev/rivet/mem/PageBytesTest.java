package dev.rivet.mem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Unchecked page access reads and writes exactly what the checked little-endian views do. */
class PageBytesTest {
    @Test
    void valuesAreLittleEndianAtAnyOffsetOfThePage() {
        byte[] page = new Page().bytes;
        for (int off : new int[] {0, 1, 3, 7, 4087, 4088}) {
            PageBytes.putLong(page, off, 0x8877665544332211L);
            assertThat(Bytes.read(page, off, 8)).isEqualTo(0x8877665544332211L);
            assertThat(PageBytes.getLong(page, off)).isEqualTo(0x8877665544332211L);
            assertThat(PageBytes.getInt(page, off + 4)).isEqualTo(0x88776655);
            assertThat(PageBytes.getShort(page, off + 6)).isEqualTo((short) 0x8877);
            assertThat(PageBytes.getByte(page, off + 7)).isEqualTo((byte) 0x88);
        }
        PageBytes.putInt(page, 4092, -2);
        assertThat(Bytes.read(page, 4092, 4)).isEqualTo(0xfffffffeL);
        PageBytes.putShort(page, 4094, (short) 0x1234);
        assertThat(Bytes.read(page, 4092, 4)).isEqualTo(0x1234fffeL);
        PageBytes.putByte(page, 4095, (byte) 0xab);
        assertThat(page[4095]).isEqualTo((byte) 0xab);
        assertThat(page[4094]).isEqualTo((byte) 0x34);
    }
}
