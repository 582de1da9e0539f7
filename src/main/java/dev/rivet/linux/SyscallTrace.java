package dev.rivet.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * Formats system calls for {@code --trace syscall} the way strace does: {@code name(args) = result},
 * with paths and written data shown as strings, read data as the bytes that arrived, file
 * descriptors in decimal, pointers in hex, open flags and protections by name, and errors as
 * {@code -1 ENOENT}. Calls it does not know show three hex arguments.
 */
final class SyscallTrace {
    private SyscallTrace() {}

    /**
     * Argument layouts: d int, u unsigned, x hex, F dirfd, s path, w data written (length in the
     * next argument), r data read (length is the result), o open flags, m octal mode, p mmap/mprotect
     * protection, S signal, v string array, c the mode of an open that may create a file (left out
     * otherwise, as strace does). A leading {@code X} shows the result in hex.
     */
    private static final Map<String, String> SPECS = new HashMap<>();

    static {
        String[] table = {
            "openat Fsoc", "close d", "read drd", "write dwu", "pread64 drdu", "pwrite64 dwud", "readv dxd", "writev dxd",
            "lseek ddd", "getdents64 dxu", "newfstatat Fsxd", "fstat dx", "statx Fsdux", "readlinkat Fsxu",
            "faccessat Fsd", "faccessat2 Fsdd", "mkdirat Fsm", "unlinkat Fsd", "renameat FsFs", "renameat2 FsFsd",
            "symlinkat sFs", "linkat FsFsd", "fchmodat Fsm", "chdir s", "getcwd xu", "dup d", "dup3 ddd", "fcntl ddx",
            "ioctl dxx", "pipe2 xd", "brk Xx", "mmap Xxupxdx", "munmap xu", "mprotect xup", "mremap Xxuudx",
            "madvise xud", "clone xxxxx", "execve svv", "exit d", "exit_group d", "wait4 dxdx", "set_tid_address x",
            "futex xddxxd", "rt_sigaction Sxxu", "rt_sigprocmask dxxu", "kill dS", "tgkill ddS", "tkill dS",
            "clock_gettime dx", "nanosleep xx", "clock_nanosleep ddxx", "uname x", "getrandom xud", "prlimit64 ddxx",
            "set_robust_list xu", "ppoll xdxxu", "getpid ", "gettid ", "getppid ", "getuid ", "geteuid ", "getgid ",
            "getegid ", "sched_yield ", "rt_sigreturn ", "ftruncate dd", "truncate sd", "fsync d", "umask m",
            "sigaltstack xx", "setitimer dxx", "sendfile ddxu", "memfd_create sd", "eventfd2 ud", "epoll_create1 d",
            "epoll_ctl dddx", "epoll_pwait dxddxu", "pselect6 dxxxxx", "flock dd", "fchdir d", "gettimeofday xx",
            "sysinfo x", "getrusage dx", "riscv_hwprobe xuuxd", "waitid ddxd", "rt_sigsuspend xu",
            "prctl dxx", "setpgid dd", "getpgid d", "setsid ", "getsid d", "membarrier d",
        };
        for (String e : table) {
            int space = e.indexOf(' ');
            SPECS.put(e.substring(0, space), e.substring(space + 1));
        }
    }

    private static final long O_CREAT_OR_TMPFILE = 0x40 | 0x400000;

    private static final String[] ERRNO = {
        "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD", "EAGAIN",
        "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL",
        "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM",
        "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP",
    };

    /** The call's name and the arguments known before it runs; {@link #finish} completes it. */
    static String start(GuestThread t, int nr, long[] args) {
        String name = SyscallNames.of(nr);
        String spec = SPECS.getOrDefault(name, "xxx");
        if (spec.startsWith("X")) spec = spec.substring(1);
        StringBuilder b = new StringBuilder(name).append('(');
        for (int i = 0; i < spec.length() && i < 6; i++) {
            char k = spec.charAt(i);
            if (k == 'c') {
                if ((args[i - 1] & O_CREAT_OR_TMPFILE) == 0) break;
                k = 'm';
            }
            if (i > 0) b.append(", ");
            b.append(k == 'r' ? "\u0000" : argument(t, k, args[i], i + 1 < 6 ? args[i + 1] : 0));
        }
        return b.append(')').toString();
    }

    /** The finished line: read buffers filled in, and {@code = result} (or {@code = ?} if the call never returned). */
    static String finish(GuestThread t, int nr, String started, long[] args, Long result) {
        String text = started;
        int hole = text.indexOf('\u0000');
        if (hole >= 0) {
            int index = SPECS.getOrDefault(SyscallNames.of(nr), "").indexOf('r');
            String data = result != null && result >= 0 && index >= 0
                    ? quoted(t, args[index], (int) Math.min(result, 32), result > 32) : hex(index >= 0 ? args[index] : 0);
            text = text.substring(0, hole) + data + text.substring(hole + 1);
        }
        if (result == null) return text + " = ?";
        long r = result;
        if (r < 0 && r >= -4095) {
            int e = (int) -r;
            return text + " = -1 " + (e < ERRNO.length ? ERRNO[e] : "errno " + e);
        }
        boolean hexResult = SPECS.getOrDefault(SyscallNames.of(nr), "").startsWith("X");
        return text + " = " + (hexResult ? hex(r) : Long.toString(r));
    }

    private static String argument(GuestThread t, char kind, long v, long next) {
        return switch (kind) {
            case 'd' -> Integer.toString((int) v);
            case 'u' -> Long.toUnsignedString(v);
            case 'F' -> (int) v == -100 ? "AT_FDCWD" : Integer.toString((int) v);
            case 's' -> string(t, v);
            case 'w' -> quoted(t, v, (int) Math.min(Math.max(next, 0), 32), next > 32);
            case 'o' -> openFlags((int) v);
            case 'm' -> "0" + Integer.toOctalString((int) v);
            case 'p' -> protection((int) v);
            case 'S' -> Signal.name((int) v);
            case 'v' -> stringArray(t, v);
            default -> hex(v);
        };
    }

    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private static String string(GuestThread t, long address) {
        if (address == 0) return "NULL";
        try {
            String s = t.memory().readString(address, 4096);
            return escape(s.length() > 64 ? s.substring(0, 64) : s, s.length() > 64);
        } catch (GuestError e) {
            return hex(address);
        }
    }

    private static String stringArray(GuestThread t, long address) {
        if (address == 0) return "NULL";
        try {
            StringBuilder b = new StringBuilder("[");
            java.util.List<String> all = t.memory().readStringArray(address);
            for (int i = 0; i < all.size() && i < 8; i++) b.append(i > 0 ? ", " : "").append(escape(all.get(i), false));
            return b.append(all.size() > 8 ? ", ...]" : "]").toString();
        } catch (GuestError e) {
            return hex(address);
        }
    }

    private static String quoted(GuestThread t, long address, int length, boolean more) {
        try {
            byte[] bytes = t.memory().read(address, length);
            return escape(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1), more);
        } catch (GuestError e) {
            return hex(address);
        }
    }

    static String escape(String s, boolean more) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c >= 0x7f) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').append(more ? "..." : "").toString();
    }

    private static String openFlags(int f) {
        StringBuilder b = new StringBuilder(switch (f & 3) { case 0 -> "O_RDONLY"; case 1 -> "O_WRONLY"; default -> "O_RDWR"; });
        String[] names = {"O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK"};
        for (int i = 0; i < names.length; i++) if ((f & (0x40 << i)) != 0) b.append('|').append(names[i]);
        if ((f & 0x10000) != 0) b.append("|O_DIRECTORY");
        if ((f & 0x20000) != 0) b.append("|O_NOFOLLOW");
        if ((f & 0x80000) != 0) b.append("|O_CLOEXEC");
        if ((f & 0x200000) != 0) b.append("|O_PATH");
        return b.toString();
    }

    private static String protection(int p) {
        if (p == 0) return "PROT_NONE";
        StringBuilder b = new StringBuilder();
        if ((p & 1) != 0) b.append("|PROT_READ");
        if ((p & 2) != 0) b.append("|PROT_WRITE");
        if ((p & 4) != 0) b.append("|PROT_EXEC");
        if ((p & ~7) != 0) b.append("|0x").append(Integer.toHexString(p & ~7));
        return b.substring(1);
    }
}
