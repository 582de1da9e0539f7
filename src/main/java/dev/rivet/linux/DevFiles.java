package dev.rivet.linux;

import dev.rivet.linux.fs.DirentEncoder;
import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.StatEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The synthetic {@code /dev}: null, zero, full, random, urandom and tty, plus the stdin/stdout/
 * stderr/fd links into {@code /proc/self/fd}. These guest paths work even when the root has no
 * {@code /dev}; other names under {@code /dev} are looked up in the root as usual.
 */
final class DevFiles {
    private DevFiles() {}

    /** The devices, with their Linux major and minor numbers. */
    enum Kind {
        NULL(1, 3), ZERO(1, 5), FULL(1, 7), RANDOM(1, 8), URANDOM(1, 9), TTY(5, 0);

        final int major;
        final int minor;

        Kind(int major, int minor) {
            this.major = major;
            this.minor = minor;
        }

        String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** glibc's makedev encoding, as st_rdev carries it. */
        long rdev() {
            return ((major & 0xfffL) << 8) | (minor & 0xffL) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
        }
    }

    private static final String[] STD = {"stdin", "stdout", "stderr"};

    /**
     * The node for {@code /dev/...} given as canonical components starting with "dev", or null when
     * the root's own file system should answer.
     */
    static VNode lookup(GuestFileSystem fs, List<String> components) {
        if (components.size() == 1) {
            if (hostHasDev(fs)) return null;
            return new VNode.Dir("/dev", 0, DevFiles::entries, DevFiles::child);
        }
        return child(components.get(1));
    }

    private static boolean hostHasDev(GuestFileSystem fs) {
        try {
            return fs.resolve("/dev", true).exists();
        } catch (GuestError e) {
            return false;
        }
    }

    private static VNode child(String name) {
        for (Kind k : Kind.values()) if (k.fileName().equals(name)) return new VNode.Device("/dev/" + name, k);
        for (int fd = 0; fd < 3; fd++) {
            if (STD[fd].equals(name)) {
                return new VNode.Link("/dev/" + name, 0, "/proc/self/fd/" + fd, "/proc/self/fd/" + fd, null);
            }
        }
        if (name.equals("fd")) return new VNode.Link("/dev/fd", 0, "/proc/self/fd", "/proc/self/fd", null);
        return null;
    }

    private static List<DirentEncoder.Entry> entries() {
        List<DirentEncoder.Entry> out = new ArrayList<>();
        out.add(new DirentEncoder.Entry(".", VNode.ino("/dev"), DirentEncoder.DT_DIR));
        out.add(new DirentEncoder.Entry("..", VNode.ino("/"), DirentEncoder.DT_DIR));
        List<String> names = new ArrayList<>(List.of(STD));
        names.add("fd");
        for (Kind k : Kind.values()) names.add(k.fileName());
        names.sort(null);
        for (String n : names) {
            boolean link = n.equals("fd") || Arrays.asList(STD).contains(n);
            out.add(new DirentEncoder.Entry(n, VNode.ino("/dev/" + n), link ? DirentEncoder.DT_LNK : DirentEncoder.DT_CHR));
        }
        return out;
    }

    /** Opens a device; /dev/tty is the console when it is a terminal, else ENXIO (no controlling tty). */
    static OpenFile open(Kernel kernel, VNode.Device node, int flags) {
        if (node.kind() == Kind.TTY) return kernel.console.openTerminal(flags);
        return new DeviceFile(kernel, node, flags);
    }

    /** An open device other than the terminal. */
    private static final class DeviceFile extends OpenFile {
        private final Kernel kernel;
        private final VNode.Device node;

        DeviceFile(Kernel kernel, VNode.Device node, int flags) {
            super(node.path(), flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
            this.kernel = kernel;
            this.node = node;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (!readable()) throw new GuestError(Errno.EBADF);
            switch (node.kind()) {
                case NULL -> { return 0; }
                case RANDOM, URANDOM -> {
                    byte[] r = new byte[len];
                    kernel.random.nextBytes(r);
                    System.arraycopy(r, 0, buf, off, len);
                }
                default -> Arrays.fill(buf, off, off + len, (byte) 0);
            }
            return len;
        }

        @Override
        public int write(byte[] buf, int off, int len) {
            if (!writable()) throw new GuestError(Errno.EBADF);
            if (node.kind() == Kind.FULL) throw new GuestError(Errno.ENOSPC);
            return len;
        }

        @Override
        public int pread(byte[] buf, int off, int len, long position) {
            return read(buf, off, len);
        }

        @Override
        public int pwrite(byte[] buf, int off, int len, long position) {
            return write(buf, off, len);
        }

        /** Linux's memory devices accept any seek and stay at 0. */
        @Override
        public long seek(long offset, int whence) {
            return 0;
        }

        @Override
        public byte[] stat() {
            return StatEncoder.stat(node.stat());
        }
    }
}
