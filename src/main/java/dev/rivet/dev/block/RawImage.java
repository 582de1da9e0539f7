package dev.rivet.dev.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image: the file's bytes are the disk's bytes. The disk's size is the file's size
 * (rounded down to whole 512-byte sectors by the disk). Discard punches holes where the host
 * allows it and writes zeros otherwise.
 */
public final class RawImage implements BlockImage {
    private final Path path;
    private final FileChannel file;
    private final boolean readOnly;
    private final long size;

    public RawImage(Path path, boolean readOnly) throws IOException {
        this.path = path;
        this.readOnly = readOnly;
        this.file = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.size = file.size();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public String format() {
        return "raw";
    }

    @Override
    public void read(long offset, byte[] buf, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        while (b.hasRemaining()) {
            int n = file.read(b, offset + (b.position() - off));
            if (n < 0) { // a file shrunk under us reads as zeros past its end
                java.util.Arrays.fill(buf, b.position(), off + len, (byte) 0);
                return;
            }
        }
    }

    @Override
    public void write(long offset, byte[] buf, int off, int len) throws IOException {
        if (readOnly) throw new IOException("read-only image");
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        while (b.hasRemaining()) file.write(b, offset + (b.position() - off));
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) file.force(true);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        if (readOnly) throw new IOException("read-only image");
        if (!HolePunch.punch(path, offset, length)) writeZeroes(offset, length, false);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
