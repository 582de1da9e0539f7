package dev.rivet.linux.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Map;

/**
 * The information of a Linux {@code struct stat}/{@code struct statx}, independent of either
 * layout; {@link StatEncoder} turns it into guest bytes. Times are seconds and nanoseconds since
 * the epoch; {@code dev} and {@code rdev} use the userspace (glibc) dev_t encoding.
 */
public record FileStat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size,
        int blksize, long blocks, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec, long ctimeSec,
        int ctimeNsec) {

    /** File type bits of {@code st_mode} (octal, as in Linux). */
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    /** Block size reported for host files: the JDK cannot query st_blksize, and 4096 is typical. */
    public static final int DEFAULT_BLKSIZE = 4096;

    /** Device number given to synthetic objects, like the kernel's anonymous pipefs/devpts devices. */
    public static final long SYNTHETIC_DEV = 0x0c;

    // Naming the attributes instead of "unix:*" avoids resolving owner/group names (a passwd
    // lookup per file), which would make large directory listings slow.
    private static final String UNIX_ATTRS =
            "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastAccessTime,lastModifiedTime,ctime";

    /**
     * Stats {@code host} itself, never following a final symlink: lookup through
     * {@link GuestFileSystem#resolve} already followed guest symlinks where wanted, so a link here
     * is one to report as a link (lstat).
     *
     * @throws IOException as reported by the host (map with {@link HostErrors})
     */
    public static FileStat ofHost(Path host) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(host, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return ofPosix(host);
        }
        long size = (Long) a.get("size");
        FileTime atime = (FileTime) a.get("lastAccessTime");
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        FileTime ctime = (FileTime) a.get("ctime");
        return new FileStat((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"),
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"),
                size, DEFAULT_BLKSIZE, blocksFor(size), sec(atime), nsec(atime), sec(mtime), nsec(mtime),
                sec(ctime), nsec(ctime));
    }

    /**
     * Fallback for hosts without the JDK's "unix" attribute view: type and permission bits are
     * reconstructed, device/special-file kinds cannot be told apart and numeric owners are unknown.
     */
    private static FileStat ofPosix(Path host) throws IOException {
        BasicFileAttributes b;
        int perms = 0;
        try {
            PosixFileAttributes p = Files.readAttributes(host, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            b = p;
            for (PosixFilePermission perm : p.permissions()) perms |= 0400 >> perm.ordinal();
        } catch (UnsupportedOperationException e) {
            b = Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            perms = b.isDirectory() ? 0755 : 0644;
        }
        // "Other" files (devices, fifos, sockets) are indistinguishable here; a character device is
        // the least surprising guess for programs that then try to read them.
        int type = b.isDirectory() ? S_IFDIR : b.isSymbolicLink() ? S_IFLNK : b.isRegularFile() ? S_IFREG : S_IFCHR;
        Object key = b.fileKey();
        long ino = key != null ? key.hashCode() & 0xffffffffL : host.toAbsolutePath().hashCode() & 0xffffffffL;
        return new FileStat(0, ino, type | perms, 1, 0, 0, 0, b.size(), DEFAULT_BLKSIZE, blocksFor(b.size()),
                sec(b.lastAccessTime()), nsec(b.lastAccessTime()), sec(b.lastModifiedTime()),
                nsec(b.lastModifiedTime()), sec(b.lastModifiedTime()), nsec(b.lastModifiedTime()));
    }

    /**
     * A stat for an object with no host file behind it (pipe, terminal, eventfd...): owned by root,
     * one link, all three times set to now.
     *
     * @param mode type and permission bits, e.g. {@code S_IFIFO | 0600}
     */
    public static FileStat synthetic(int mode, long size, long ino) {
        return synthetic(mode, size, ino, 0, 0);
    }

    /** {@link #synthetic(int, long, long)} with an explicit owner (e.g. the guest's own uid for a tty). */
    public static FileStat synthetic(int mode, long size, long ino, int uid, int gid) {
        Instant now = Instant.now();
        long s = now.getEpochSecond();
        int ns = now.getNano();
        return new FileStat(SYNTHETIC_DEV, ino, mode, 1, uid, gid, 0, size, DEFAULT_BLKSIZE, 0, s, ns, s, ns, s, ns);
    }

    /** The file type bits of {@link #mode}. */
    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    /** 512-byte blocks: the JDK cannot see allocation, so assume a non-sparse file. */
    private static long blocksFor(long size) {
        return (size + 511) / 512;
    }

    private static long sec(FileTime t) {
        return t.toInstant().getEpochSecond();
    }

    private static int nsec(FileTime t) {
        return t.toInstant().getNano();
    }
}
