package dev.rivet.linux;

import dev.rivet.linux.fs.DirentEncoder;
import dev.rivet.linux.fs.FileStat;
import dev.rivet.mem.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A file of the synthetic {@code /dev} and {@code /proc} trees, which the guest sees whatever its
 * root holds. Nodes are made afresh on each lookup, so their contents are always current.
 */
sealed interface VNode {
    /** The canonical guest path of the node. */
    String path();

    FileStat stat();

    /** A stable inode number for a synthetic path, distinct from small pipe and console numbers. */
    static long ino(String path) {
        return 0x10000L + (path.hashCode() & 0x7fffffffL);
    }

    /** A directory: its listing, and the child a name leads to (null: ENOENT). */
    record Dir(String path, int uid, Supplier<List<DirentEncoder.Entry>> entries, Function<String, VNode> child)
            implements VNode {
        @Override
        public FileStat stat() {
            return FileStat.synthetic(FileStat.S_IFDIR | 0555, 0, ino(path), uid, uid);
        }
    }

    /** A read-only file whose contents are generated when it is opened. */
    record Content(String path, int uid, Supplier<byte[]> bytes) implements VNode {
        @Override
        public FileStat stat() {
            // Like procfs: size 0, readers read until end of file.
            return FileStat.synthetic(FileStat.S_IFREG | 0444, 0, ino(path), uid, uid);
        }
    }

    /**
     * A symbolic link.
     *
     * @param target what readlink shows
     * @param follow the absolute guest path a lookup continues at (null for a descriptor link)
     * @param file   for /proc/PID/fd/N: the open file, reached even if it has no path any more
     */
    record Link(String path, int uid, String target, String follow, OpenFile file) implements VNode {
        @Override
        public FileStat stat() {
            return FileStat.synthetic(FileStat.S_IFLNK | 0777, target.getBytes(StandardCharsets.UTF_8).length,
                    ino(path), uid, uid);
        }
    }

    /** A character device of {@link DevFiles}. */
    record Device(String path, DevFiles.Kind kind) implements VNode {
        @Override
        public FileStat stat() {
            FileStat s = FileStat.synthetic(FileStat.S_IFCHR | 0666, 0, ino(path));
            return new FileStat(s.dev(), s.ino(), s.mode(), 1, 0, 0, kind.rdev(), 0, s.blksize(), 0, s.atimeSec(),
                    s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
        }
    }

    /** An open file reached by following a descriptor link or by AT_EMPTY_PATH. */
    record Descriptor(String path, OpenFile file) implements VNode {
        @Override
        public FileStat stat() {
            return decode(file.stat());
        }
    }

    /** The inverse of {@link dev.rivet.linux.fs.StatEncoder#stat}: a {@code struct stat} back to its fields. */
    static FileStat decode(byte[] b) {
        return new FileStat(Bytes.i64(b, 0), Bytes.i64(b, 8), Bytes.i32(b, 16), Bytes.i32(b, 20), Bytes.i32(b, 24),
                Bytes.i32(b, 28), Bytes.i64(b, 32), Bytes.i64(b, 48), Bytes.i32(b, 56), Bytes.i64(b, 64),
                Bytes.i64(b, 72), (int) Bytes.i64(b, 80), Bytes.i64(b, 88), (int) Bytes.i64(b, 96), Bytes.i64(b, 104),
                (int) Bytes.i64(b, 112));
    }
}
