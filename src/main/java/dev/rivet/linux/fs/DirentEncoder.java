package dev.rivet.linux.fs;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import dev.rivet.mem.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Directory listings for getdents64: {@link #list} snapshots a directory once (when the guest opens
 * it or rewinds), {@link #encode} then serves it as {@code struct linux_dirent64} records in as many
 * calls as the guest's buffer size requires. Positions are entry indices, which also makes them
 * valid d_off cookies for lseek/telldir.
 */
public final class DirentEncoder {
    private DirentEncoder() {}

    /** d_type values; each is the stat file type shifted down ({@code S_IFxxx >> 12}). */
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
            DT_LNK = 10, DT_SOCK = 12;

    /** u64 d_ino, i64 d_off, u16 d_reclen, u8 d_type: the name starts right after. */
    static final int HEADER = 19;

    /** One directory entry as the guest will see it. */
    public record Entry(String name, long ino, int type) {}

    /**
     * @param bytes        the records, at most the requested capacity; empty at end of directory
     * @param nextPosition position to pass to the next {@link #encode} call
     */
    public record Batch(byte[] bytes, int nextPosition) {}

    /** d_type for an {@code st_mode}. */
    public static int dtype(int mode) {
        return (mode >>> 12) & 0xf;
    }

    /**
     * Snapshots the entries of a resolved directory: {@code .}, {@code ..}, then the host entries in
     * name order (deterministic across hosts, unlike readdir order). Mount points lying directly in
     * this guest directory replace or add entries, so mounts are visible where they appear.
     * Entries that vanish while listing are skipped, as a concurrent unlink would make them.
     *
     * @throws GuestError ENOTDIR, ENOENT, EACCES... as the host reports them
     */
    public static List<Entry> list(GuestFileSystem fs, Resolved dir) {
        String guest = dir.guestPath();
        List<Entry> out = new ArrayList<>();
        FileStat self = stat(dir.host());
        if (!self.isDirectory()) throw new GuestError(Errno.ENOTDIR);
        out.add(new Entry(".", self.ino(), DT_DIR));
        // The guest parent, which differs from the host parent at mount points and at the root.
        FileStat parent = guest.equals("/") ? self : stat(fs.hostPathOf(GuestPaths.parent(guest)));
        out.add(new Entry("..", parent.ino(), DT_DIR));

        Map<String, Entry> byName = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.host())) {
            for (Path child : ds) {
                String name = child.getFileName().toString();
                try {
                    FileStat st = FileStat.ofHost(child);
                    byName.put(name, new Entry(name, st.ino(), dtype(st.mode())));
                } catch (NoSuchFileException gone) {
                    // Deleted between readdir and stat: leave it out.
                } catch (IOException e) {
                    byName.put(name, new Entry(name, 0, DT_UNKNOWN));
                }
            }
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
        for (Mount m : fs.mountsDirectlyUnder(guest)) {
            String name = GuestPaths.name(m.guest());
            FileStat st = stat(m.host());
            byName.put(name, new Entry(name, st.ino(), dtype(st.mode())));
        }
        out.addAll(byName.values());
        return out;
    }

    /**
     * Encodes entries from {@code position} on into at most {@code capacity} bytes. Each record is
     * padded to a multiple of 8 and its d_off is the position just after it.
     *
     * @throws GuestError EINVAL if not even the next single record fits (Linux's "buffer too small")
     */
    public static Batch encode(List<Entry> entries, int position, int capacity) {
        int start = Math.max(position, 0);
        List<byte[]> names = new ArrayList<>();
        int used = 0, pos = start;
        for (; pos < entries.size(); pos++) {
            byte[] name = entries.get(pos).name().getBytes(StandardCharsets.UTF_8);
            int reclen = recordLength(name.length);
            if (used + reclen > capacity) {
                if (used == 0) throw new GuestError(Errno.EINVAL);
                break;
            }
            names.add(name);
            used += reclen;
        }
        byte[] out = new byte[used];
        int off = 0;
        for (int i = 0; i < names.size(); i++) {
            Entry e = entries.get(start + i);
            byte[] name = names.get(i);
            int reclen = recordLength(name.length);
            Bytes.write(out, off, 8, e.ino());
            Bytes.write(out, off + 8, 8, start + i + 1);
            Bytes.write(out, off + 16, 2, reclen);
            Bytes.write(out, off + 18, 1, e.type());
            System.arraycopy(name, 0, out, off + HEADER, name.length);
            // The NUL terminator and padding are already zero in the fresh array.
            off += reclen;
        }
        return new Batch(out, pos);
    }

    /** Header, name, NUL, rounded up to 8 bytes. */
    static int recordLength(int nameBytes) {
        return (HEADER + nameBytes + 1 + 7) & ~7;
    }

    private static FileStat stat(Path host) {
        try {
            return FileStat.ofHost(host);
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
    }
}
