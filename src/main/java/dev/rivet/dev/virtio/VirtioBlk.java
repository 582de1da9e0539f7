package dev.rivet.dev.virtio;

import dev.rivet.dev.block.BlockImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * virtio-blk (virtio spec 5.2): one request queue over a {@link BlockImage}. Requests are a
 * readable header (type, reserved, sector), data, and a writable status byte (5.2.6). Supports
 * IN, OUT, FLUSH (FileChannel.force), GET_ID, DISCARD and WRITE_ZEROES; a read-only image offers
 * VIRTIO_BLK_F_RO and answers writes with IOERR. Requests run on the notifying hart's thread.
 */
public final class VirtioBlk extends VirtioDevice {
    /** Feature bits (5.2.3). */
    static final int F_SEG_MAX = 2, F_RO = 5, F_BLK_SIZE = 6, F_FLUSH = 9, F_DISCARD = 13, F_WRITE_ZEROES = 14;
    /** Request types (5.2.6). */
    static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8, T_DISCARD = 11, T_WRITE_ZEROES = 13;
    static final int S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
    static final int SECTOR = 512, QUEUE_SIZE = 256, ID_BYTES = 20;
    /** Most sectors one DISCARD or WRITE_ZEROES segment may cover (config max_discard_sectors). */
    static final int MAX_DISCARD_SECTORS = 1 << 22;

    private final BlockImage image;
    private final byte[] id;
    private final byte[] config;
    private final PrintStream diagnostics;
    private final byte[] buffer = new byte[128 * 1024];
    private boolean ioErrorReported;

    /**
     * @param image       the disk's contents
     * @param serial      what GET_ID answers (at most 20 bytes are used)
     * @param diagnostics where the first host I/O error is reported
     */
    public VirtioBlk(BlockImage image, String serial, PrintStream diagnostics) {
        this.image = image;
        this.id = serial.getBytes(StandardCharsets.UTF_8);
        this.diagnostics = diagnostics;
        // 5.2.4: struct virtio_blk_config up to write_zeroes_may_unmap.
        ByteBuffer c = ByteBuffer.allocate(60).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(0, image.size() / SECTOR);          // capacity
        c.putInt(12, QUEUE_SIZE - 2);                 // seg_max (header and status take two)
        c.putInt(20, SECTOR);                          // blk_size
        c.putInt(36, MAX_DISCARD_SECTORS);             // max_discard_sectors
        c.putInt(40, 1);                               // max_discard_seg
        c.putInt(44, Math.max(1, image.discardGranularity() / SECTOR)); // discard_sector_alignment
        c.putInt(48, MAX_DISCARD_SECTORS);             // max_write_zeroes_sectors
        c.putInt(52, 1);                               // max_write_zeroes_seg
        c.put(56, (byte) 1);                           // write_zeroes_may_unmap
        this.config = c.array();
    }

    public BlockImage image() {
        return image;
    }

    @Override
    public int deviceId() {
        return 2;
    }

    @Override
    public String name() {
        return "virtio-blk";
    }

    @Override
    public long features() {
        long f = 1L << F_SEG_MAX | 1L << F_BLK_SIZE | 1L << F_FLUSH;
        if (image.readOnly()) return f | 1L << F_RO;
        return f | 1L << F_DISCARD | 1L << F_WRITE_ZEROES;
    }

    @Override
    public int[] queueSizes() {
        return new int[] {QUEUE_SIZE};
    }

    @Override
    protected byte[] config() {
        return config;
    }

    @Override
    protected void process(Virtqueue q) {
        Chain c;
        while ((c = q.pop()) != null) {
            handle(c);
            q.push(c);
        }
        transport.usedBuffers(q);
    }

    private void handle(Chain c) {
        if (c.readableBytes() < 16 || c.writableBytes() < 1) {
            throw new DriverError("virtio-blk request without a readable header and a writable status byte");
        }
        byte[] h = new byte[16];
        c.read(0, h, 0, 16);
        ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int type = hb.getInt(0);
        long sector = hb.getLong(8);
        long statusAt = c.writableBytes() - 1;
        int status;
        try {
            status = switch (type) {
                case T_IN -> transfer(c, sector, c.writableBytes() - 1, true);
                case T_OUT -> transfer(c, sector, c.readableBytes() - 16, false);
                case T_FLUSH -> {
                    image.flush();
                    yield S_OK;
                }
                case T_GET_ID -> {
                    byte[] out = new byte[(int) Math.min(ID_BYTES, statusAt)];
                    System.arraycopy(id, 0, out, 0, Math.min(id.length, out.length));
                    c.write(0, out, 0, out.length);
                    yield S_OK;
                }
                case T_DISCARD, T_WRITE_ZEROES -> zeroes(c, type == T_DISCARD);
                default -> S_UNSUPP;
            };
        } catch (IOException e) {
            if (!ioErrorReported) {
                ioErrorReported = true;
                diagnostics.println("rivet: virtio-blk: host I/O error: " + e.getMessage());
            }
            status = S_IOERR;
        }
        c.write(statusAt, new byte[] {(byte) status}, 0, 1);
    }

    /** IN or OUT of {@code length} bytes at {@code sector} (5.2.6.1: a multiple of 512 bytes). */
    private int transfer(Chain c, long sector, long length, boolean in) throws IOException {
        if (!in && image.readOnly()) return S_IOERR;
        if (length % SECTOR != 0 || !inRange(sector, length)) return S_IOERR;
        long pos = sector * SECTOR;
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(buffer.length, length - done);
            if (in) {
                image.read(pos + done, buffer, 0, n);
                c.write(done, buffer, 0, n);
            } else {
                c.read(16 + done, buffer, 0, n);
                image.write(pos + done, buffer, 0, n);
            }
            done += n;
        }
        return S_OK;
    }

    private boolean inRange(long sector, long bytes) {
        long capacity = image.size() / SECTOR;
        return sector >= 0 && sector <= capacity && bytes / SECTOR <= capacity - sector;
    }

    /** DISCARD / WRITE_ZEROES: 16-byte segments (sector, num_sectors, flags) after the header (5.2.6). */
    private int zeroes(Chain c, boolean discard) throws IOException {
        if (image.readOnly()) return S_IOERR;
        long bytes = c.readableBytes() - 16;
        if (bytes == 0 || bytes % 16 != 0 || bytes / 16 > 1) return S_UNSUPP;
        byte[] s = new byte[16];
        c.read(16, s, 0, 16);
        ByteBuffer sb = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        long sector = sb.getLong(0);
        long count = Integer.toUnsignedLong(sb.getInt(8));
        int flags = sb.getInt(12);
        if (count > MAX_DISCARD_SECTORS || (flags & ~1) != 0 || (discard && flags != 0)) return S_UNSUPP;
        if (!inRange(sector, count * SECTOR)) return S_IOERR;
        if (discard) image.discard(sector * SECTOR, count * SECTOR);
        else image.writeZeroes(sector * SECTOR, count * SECTOR, (flags & 1) != 0);
        return S_OK;
    }

    @Override
    public void close() {
        try {
            image.flush();
            image.close();
        } catch (IOException e) {
            diagnostics.println("rivet: virtio-blk: closing the image: " + e.getMessage());
        }
    }
}
