package dev.rivet.linux;

import dev.rivet.mem.Bytes;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code struct statfs} for riscv64 (asm-generic/statfs.h, 64-bit longs): 120 bytes. */
final class StatFs {
    static final int SIZE = 120;
    static final long EXT4 = 0xEF53, TMPFS = 0x01021994, PROC = 0x9fa0, PIPEFS = 0x50495045;
    static final int ST_RDONLY = 1, ST_VALID = 0x20;

    private static final Map<String, Long> MAGIC = Map.of("ext4", EXT4, "ext3", EXT4, "ext2", EXT4,
            "tmpfs", TMPFS, "btrfs", 0x9123683EL, "xfs", 0x58465342L, "overlay", 0x794c7630L, "zfs", 0x2fc12fc1L,
            "nfs", 0x6969L, "proc", PROC);

    private StatFs() {}

    /** The file system holding a host file, as the host reports its sizes. */
    static byte[] ofHost(Path host, boolean readOnly) {
        try {
            FileStore store = Files.getFileStore(host);
            long bsize = Math.max(512, store.getBlockSize());
            return encode(MAGIC.getOrDefault(store.type(), EXT4), bsize, store.getTotalSpace() / bsize,
                    store.getUnallocatedSpace() / bsize, store.getUsableSpace() / bsize,
                    readOnly || store.isReadOnly());
        } catch (IOException | UnsupportedOperationException e) {
            return encode(EXT4, 4096, 0, 0, 0, readOnly);
        }
    }

    /** /proc, /dev and the anonymous objects (pipes, the console). */
    static byte[] ofSynthetic(String guestPath) {
        long type = guestPath.startsWith("/proc") ? PROC : guestPath.startsWith("pipe:") ? PIPEFS : TMPFS;
        return encode(type, 4096, 0, 0, 0, false);
    }

    private static byte[] encode(long type, long bsize, long blocks, long bfree, long bavail, boolean readOnly) {
        byte[] b = new byte[SIZE];
        Bytes.write(b, 0, 8, type);
        Bytes.write(b, 8, 8, bsize);
        Bytes.write(b, 16, 8, blocks);
        Bytes.write(b, 24, 8, bfree);
        Bytes.write(b, 32, 8, bavail);
        // The JDK cannot see inode counts; report plenty free so nothing refuses to create files.
        Bytes.write(b, 40, 8, blocks == 0 ? 0 : 1L << 24);
        Bytes.write(b, 48, 8, blocks == 0 ? 0 : 1L << 23);
        // f_fsid (two ints) stays 0.
        Bytes.write(b, 64, 8, 255);
        Bytes.write(b, 72, 8, bsize);
        Bytes.write(b, 80, 8, ST_VALID | (readOnly ? ST_RDONLY : 0));
        return b;
    }
}
