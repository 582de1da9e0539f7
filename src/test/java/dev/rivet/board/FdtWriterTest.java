package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DTB v17 builder: header, blocks, alignment, string deduplication, and dtc reading it back. */
class FdtWriterTest {
    static byte[] sample() {
        FdtWriter w = new FdtWriter().addReservation(0x80000000L, 0x200000).bootCpu(1);
        int ph = w.allocatePhandle();
        w.beginNode("");
        w.propertyU32("#address-cells", 2).propertyString("compatible", "test,board");
        w.beginNode("node@1000");
        w.propertyU32s("cells", 1, 2, 3).propertyU64("big", 0x1_0000_0002L).propertyEmpty("flag");
        w.propertyStrings("list", "a", "bc", "def").property("bytes", new byte[] {1, 2, 3}).phandle(ph);
        w.endNode();
        w.beginNode("other").propertyU32("ref", ph).propertyString("compatible", "x").endNode();
        w.endNode();
        return w.finish();
    }

    @Test
    void headerDescribesTheBlocks() {
        byte[] dtb = sample();
        ByteBuffer b = ByteBuffer.wrap(dtb);
        assertThat(b.getInt(0)).isEqualTo(0xd00dfeed);
        assertThat(b.getInt(4)).isEqualTo(dtb.length);
        int structOff = b.getInt(8), stringsOff = b.getInt(12), rsvOff = b.getInt(16);
        assertThat(b.getInt(20)).isEqualTo(17);
        assertThat(b.getInt(24)).isEqualTo(16);
        assertThat(b.getInt(28)).isEqualTo(1);
        int stringsSize = b.getInt(32), structSize = b.getInt(36);
        assertThat(rsvOff % 8).isZero();
        assertThat(b.getLong(rsvOff)).isEqualTo(0x80000000L);
        assertThat(b.getLong(rsvOff + 8)).isEqualTo(0x200000);
        assertThat(b.getLong(rsvOff + 16)).isZero();
        assertThat(b.getLong(rsvOff + 24)).isZero();
        assertThat(structOff).isEqualTo(rsvOff + 32);
        assertThat(structOff % 4).isZero();
        assertThat(structSize % 4).isZero();
        assertThat(b.getInt(structOff)).isEqualTo(1); // FDT_BEGIN_NODE of the root
        assertThat(b.getInt(structOff + 4)).isZero(); // empty name, padded
        assertThat(b.getInt(structOff + structSize - 4)).isEqualTo(9); // FDT_END
        assertThat(b.getInt(structOff + structSize - 8)).isEqualTo(2); // root's FDT_END_NODE
        assertThat(stringsOff).isEqualTo(structOff + structSize);
        assertThat(stringsOff + stringsSize).isEqualTo(dtb.length);
    }

    @Test
    void propertyNamesAreStoredOnce() {
        byte[] dtb = sample();
        ByteBuffer b = ByteBuffer.wrap(dtb);
        String strings = new String(dtb, b.getInt(12), b.getInt(32), StandardCharsets.US_ASCII);
        assertThat(strings.split("\0")).containsExactlyInAnyOrder(
                "#address-cells", "compatible", "cells", "big", "flag", "list", "bytes", "phandle", "ref");
    }

    @Test
    void dtcReadsTheBlobBack() throws Exception {
        Dtc.assumeDtc();
        Dtc.Result r = Dtc.decompile(sample());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("/memreserve/\t0x0000000080000000 0x0000000000200000;");
        Map<String, Map<String, String>> t = Dtc.parse(r.out());
        assertThat(t.keySet()).containsExactly("/", "/node@1000", "/other");
        assertThat(t.get("/")).containsEntry("#address-cells", "<0x02>").containsEntry("compatible", "\"test,board\"");
        assertThat(t.get("/node@1000"))
                .containsEntry("cells", "<0x01 0x02 0x03>")
                .containsEntry("big", "<0x01 0x02>")
                .containsEntry("flag", "")
                .containsEntry("list", "\"a\\0bc\\0def\"")
                .containsEntry("bytes", "[01 02 03]")
                .containsEntry("phandle", "<0x01>");
        assertThat(t.get("/other")).containsEntry("ref", "<0x01>");
    }

    @Test
    void structureErrorsAreCaught() {
        FdtWriter w = new FdtWriter();
        assertThatThrownBy(() -> w.propertyU32("x", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.beginNode("named-root")).isInstanceOf(IllegalStateException.class);
        w.beginNode("").propertyU32("a", 1);
        assertThatThrownBy(() -> w.propertyU32("a", 2)).hasMessageContaining("twice");
        assertThatThrownBy(() -> w.beginNode("bad/name")).isInstanceOf(IllegalArgumentException.class);
        w.beginNode("child").endNode();
        assertThatThrownBy(() -> w.propertyU32("late", 1)).hasMessageContaining("after a child");
        assertThatThrownBy(w::finish).hasMessageContaining("still open");
        w.endNode();
        assertThatThrownBy(w::endNode).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.beginNode("")).hasMessageContaining("one root");
        assertThat(w.finish()).isNotEmpty();
        assertThatThrownBy(() -> new FdtWriter().finish()).hasMessageContaining("no root");
    }
}
