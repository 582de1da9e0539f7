package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.dev.block.RawImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-blk requests (virtio spec 5.2.6) through the transport, against a raw image file. */
class VirtioBlkTest {
    @TempDir
    Path dir;

    static byte[] header(int type, long sector) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector).array();
    }

    record Result(int status, byte[] data, int usedLen) { }

    /** One request: header (+ data out) readable, data in (+ status) writable. */
    static Result request(TestDriver d, int type, long sector, byte[] out, int in) {
        List<TestDriver.Buf> readable = out == null ? List.of(d.buffer(header(type, sector)))
                : List.of(d.buffer(header(type, sector)), d.buffer(out));
        TestDriver.Buf data = in > 0 ? d.buffer(in) : null;
        TestDriver.Buf status = d.buffer(1);
        d.submit(0, readable, data == null ? List.of(status) : List.of(data, status));
        TestDriver.Used u = d.poll(0);
        assertThat(u).isNotNull();
        return new Result(d.contents(status)[0], data == null ? null : d.contents(data), u.len());
    }

    TestDriver drive(boolean readOnly, byte[] contents) throws Exception {
        Path img = Files.write(dir.resolve("d.img"), contents);
        VirtioBlk blk = new VirtioBlk(new RawImage(img, readOnly), "serial-number-that-is-long", new PrintStream(new ByteArrayOutputStream()));
        return new TestDriver(blk, false).start(-1L, 64);
    }

    @Test
    void configReportsCapacityAndFeatures() throws Exception {
        TestDriver d = drive(false, new byte[8192]);
        assertThat(d.mmio.read(VirtioMmio.CONFIG, 8)).isEqualTo(16);
        assertThat(d.mmio.read(VirtioMmio.CONFIG + 20, 4)).isEqualTo(512);
        d.reg(VirtioMmio.DEVICE_FEATURES_SEL, 0);
        int f = d.reg(VirtioMmio.DEVICE_FEATURES);
        assertThat(f & 1 << VirtioBlk.F_FLUSH).isNotZero();
        assertThat(f & 1 << VirtioBlk.F_DISCARD).isNotZero();
        assertThat(f & 1 << VirtioBlk.F_RO).isZero();
    }

    @Test
    void readWriteFlushGetIdDiscardAndErrors() throws Exception {
        TestDriver d = drive(false, new byte[8192]);
        byte[] sector = new byte[1024];
        for (int i = 0; i < sector.length; i++) sector[i] = (byte) i;
        assertThat(request(d, VirtioBlk.T_OUT, 3, sector, 0).status()).isZero();
        Result r = request(d, VirtioBlk.T_IN, 3, null, 1024);
        assertThat(r.status()).isZero();
        assertThat(r.data()).isEqualTo(sector);
        assertThat(r.usedLen()).as("data and status written").isEqualTo(1025);
        assertThat(Files.readAllBytes(dir.resolve("d.img"))[3 * 512 + 5]).isEqualTo((byte) 5);
        assertThat(request(d, VirtioBlk.T_FLUSH, 0, null, 0).status()).isZero();
        Result id = request(d, VirtioBlk.T_GET_ID, 0, null, 20);
        assertThat(new String(id.data(), StandardCharsets.US_ASCII)).isEqualTo("serial-number-that-i");
        byte[] seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putInt(1).putInt(0).array();
        assertThat(request(d, VirtioBlk.T_DISCARD, 0, seg, 0).status()).isZero();
        assertThat(request(d, VirtioBlk.T_IN, 3, null, 512).data()).isEqualTo(new byte[512]);
        assertThat(request(d, VirtioBlk.T_IN, 4, null, 512).data()[0]).isEqualTo((byte) 0);
        assertThat(request(d, VirtioBlk.T_IN, 4, null, 512).data()[1]).isEqualTo((byte) 1);
        // Past the end, not whole sectors, unknown types.
        assertThat(request(d, VirtioBlk.T_IN, 16, null, 512).status()).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(request(d, VirtioBlk.T_IN, 15, null, 1024).status()).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(request(d, VirtioBlk.T_IN, -1, null, 512).status()).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(request(d, VirtioBlk.T_OUT, 0, new byte[100], 0).status()).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(request(d, 99, 0, null, 0).status()).isEqualTo(VirtioBlk.S_UNSUPP);
        assertThat(d.reg(VirtioMmio.STATUS) & VirtioMmio.DEVICE_NEEDS_RESET).isZero();
    }

    @Test
    void readOnlyDrivesRefuseWrites() throws Exception {
        byte[] contents = new byte[4096];
        contents[0] = 42;
        TestDriver d = drive(true, contents);
        d.reg(VirtioMmio.DEVICE_FEATURES_SEL, 0);
        assertThat(d.reg(VirtioMmio.DEVICE_FEATURES) & 1 << VirtioBlk.F_RO).isNotZero();
        assertThat(request(d, VirtioBlk.T_OUT, 0, new byte[512], 0).status()).isEqualTo(VirtioBlk.S_IOERR);
        byte[] seg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putInt(1).putInt(0).array();
        assertThat(request(d, VirtioBlk.T_DISCARD, 0, seg, 0).status()).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(request(d, VirtioBlk.T_IN, 0, null, 512).data()[0]).isEqualTo((byte) 42);
        assertThat(Files.readAllBytes(dir.resolve("d.img"))[0]).isEqualTo((byte) 42);
    }

    @Test
    void requestsWithoutAStatusByteNeedReset() throws Exception {
        TestDriver d = drive(false, new byte[4096]);
        d.submit(0, List.of(d.buffer(header(VirtioBlk.T_IN, 0)), d.buffer(512)), List.of());
        assertThat(d.reg(VirtioMmio.STATUS) & VirtioMmio.DEVICE_NEEDS_RESET).isNotZero();
        assertThat(d.diagnostics.toString()).contains("writable status byte");
    }
}
