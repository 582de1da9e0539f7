package dev.rivet.linux.fs;

import dev.rivet.mem.Bytes;

/**
 * Encodes {@link FileStat} as the riscv64 Linux {@code struct stat} (asm-generic/stat.h, used by
 * fstat/newfstatat) and {@code struct statx} (include/uapi/linux/stat.h), little-endian.
 */
public final class StatEncoder {
    private StatEncoder() {}

    public static final int STAT_SIZE = 128;
    public static final int STATX_SIZE = 256;

    /** statx mask bits (include/uapi/linux/stat.h). */
    public static final int STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8,
            STATX_GID = 0x10, STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80, STATX_INO = 0x100,
            STATX_SIZE_BIT = 0x200, STATX_BLOCKS = 0x400, STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;

    /** Offsets in {@code struct stat}. */
    static final int ST_DEV = 0, ST_INO = 8, ST_MODE = 16, ST_NLINK = 20, ST_UID = 24, ST_GID = 28, ST_RDEV = 32,
            ST_SIZE = 48, ST_BLKSIZE = 56, ST_BLOCKS = 64, ST_ATIME = 72, ST_ATIME_NSEC = 80, ST_MTIME = 88,
            ST_MTIME_NSEC = 96, ST_CTIME = 104, ST_CTIME_NSEC = 112;

    /** Offsets in {@code struct statx}; each statx_timestamp is {i64 tv_sec, u32 tv_nsec, i32 pad}. */
    static final int STX_MASK = 0, STX_BLKSIZE = 4, STX_ATTRIBUTES = 8, STX_NLINK = 16, STX_UID = 20,
            STX_GID = 24, STX_MODE = 28, STX_INO = 32, STX_SIZE = 40, STX_BLOCKS = 48, STX_ATTRIBUTES_MASK = 56,
            STX_ATIME = 64, STX_BTIME = 80, STX_CTIME = 96, STX_MTIME = 112, STX_RDEV_MAJOR = 128,
            STX_RDEV_MINOR = 132, STX_DEV_MAJOR = 136, STX_DEV_MINOR = 140;

    /** The 128-byte {@code struct stat}; padding and unused fields are zero. */
    public static byte[] stat(FileStat s) {
        byte[] b = new byte[STAT_SIZE];
        Bytes.write(b, ST_DEV, 8, s.dev());
        Bytes.write(b, ST_INO, 8, s.ino());
        Bytes.write(b, ST_MODE, 4, s.mode());
        Bytes.write(b, ST_NLINK, 4, s.nlink());
        Bytes.write(b, ST_UID, 4, s.uid());
        Bytes.write(b, ST_GID, 4, s.gid());
        Bytes.write(b, ST_RDEV, 8, s.rdev());
        Bytes.write(b, ST_SIZE, 8, s.size());
        Bytes.write(b, ST_BLKSIZE, 4, s.blksize());
        Bytes.write(b, ST_BLOCKS, 8, s.blocks());
        Bytes.write(b, ST_ATIME, 8, s.atimeSec());
        Bytes.write(b, ST_ATIME_NSEC, 8, s.atimeNsec());
        Bytes.write(b, ST_MTIME, 8, s.mtimeSec());
        Bytes.write(b, ST_MTIME_NSEC, 8, s.mtimeNsec());
        Bytes.write(b, ST_CTIME, 8, s.ctimeSec());
        Bytes.write(b, ST_CTIME_NSEC, 8, s.ctimeNsec());
        return b;
    }

    /**
     * The 256-byte {@code struct statx}. Like the kernel it fills every basic field whatever the
     * caller requested, and reports exactly those in stx_mask; birth time is not claimed because the
     * JDK silently substitutes mtime when the host cannot supply it.
     */
    public static byte[] statx(FileStat s) {
        byte[] b = new byte[STATX_SIZE];
        Bytes.write(b, STX_MASK, 4, STATX_BASIC_STATS);
        Bytes.write(b, STX_BLKSIZE, 4, s.blksize());
        Bytes.write(b, STX_NLINK, 4, s.nlink());
        Bytes.write(b, STX_UID, 4, s.uid());
        Bytes.write(b, STX_GID, 4, s.gid());
        Bytes.write(b, STX_MODE, 2, s.mode());
        Bytes.write(b, STX_INO, 8, s.ino());
        Bytes.write(b, STX_SIZE, 8, s.size());
        Bytes.write(b, STX_BLOCKS, 8, s.blocks());
        timestamp(b, STX_ATIME, s.atimeSec(), s.atimeNsec());
        timestamp(b, STX_CTIME, s.ctimeSec(), s.ctimeNsec());
        timestamp(b, STX_MTIME, s.mtimeSec(), s.mtimeNsec());
        Bytes.write(b, STX_RDEV_MAJOR, 4, major(s.rdev()));
        Bytes.write(b, STX_RDEV_MINOR, 4, minor(s.rdev()));
        Bytes.write(b, STX_DEV_MAJOR, 4, major(s.dev()));
        Bytes.write(b, STX_DEV_MINOR, 4, minor(s.dev()));
        return b;
    }

    private static void timestamp(byte[] b, int off, long sec, int nsec) {
        Bytes.write(b, off, 8, sec);
        Bytes.write(b, off + 8, 4, nsec);
    }

    /** glibc's gnu_dev_major: statx reports dev_t split, stat reports it whole. */
    public static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
    }

    /** glibc's gnu_dev_minor. */
    public static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
    }
}
