package dev.rivet.linux;

import static dev.rivet.linux.Nr.*;

import dev.rivet.cpu.Hart;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system-call table: reads the number (a7) and arguments (a0..a5), calls the implementation,
 * and writes the result (or -errno) to a0. Implementations live in one class per subject. An
 * unknown call returns -ENOSYS and is reported once, by name.
 */
final class Syscalls {
    /** Returned by an implementation that has set the hart's registers and pc itself (execve, sigreturn). */
    static final long REGISTERS_SET = Long.MIN_VALUE;

    private final Kernel kernel;
    final FileCalls files;
    final PollCalls polls;
    final MemoryCalls memory;
    final ProcessCalls processes;
    final SignalCalls signals;
    final TimeCalls time;
    final InfoCalls info;
    private final Set<Integer> reported = ConcurrentHashMap.newKeySet();

    Syscalls(Kernel kernel) {
        this.kernel = kernel;
        this.files = new FileCalls(kernel);
        this.polls = new PollCalls(kernel);
        this.memory = new MemoryCalls(kernel);
        this.processes = new ProcessCalls(kernel);
        this.signals = new SignalCalls(kernel);
        this.time = new TimeCalls(kernel);
        this.info = new InfoCalls(kernel);
    }

    void dispatch(GuestThread t) {
        Hart h = t.hart;
        int nr = (int) h.x[17];
        long a0 = h.x[10], a1 = h.x[11], a2 = h.x[12], a3 = h.x[13], a4 = h.x[14], a5 = h.x[15];
        kernel.stats.count(nr);
        GuestDebug debug = kernel.debug;
        dev.rivet.trace.Tracer tracer = debug == null ? null : debug.tracer();
        if (tracer != null && tracer.wants(dev.rivet.trace.Tracer.Kind.SYSCALL, h.pc)) {
            traced(t, tracer, nr, new long[] {a0, a1, a2, a3, a4, a5});
            return;
        }
        complete(t, nr, a0, perform(t, nr, a0, a1, a2, a3, a4, a5));
    }

    /**
     * Runs the call; a mapping change it made takes effect on the process's other threads before
     * it returns, as it does on Linux (an unmapped or discarded page is gone for all of them).
     */
    private long perform(GuestThread t, int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        long r;
        try {
            r = call(t, nr, a0, a1, a2, a3, a4, a5);
        } catch (GuestError e) {
            r = -e.errno;
        }
        if (t.changedMappings) {
            t.changedMappings = false;
            t.process.space.shootDown(t.hart);
        }
        return r;
    }

    /** {@link #dispatch} with a strace-like line for the call (written even if the call never returns). */
    private void traced(GuestThread t, dev.rivet.trace.Tracer tracer, int nr, long[] a) {
        String started = SyscallTrace.start(t, nr, a);
        Long result = null;
        try {
            long r = perform(t, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            if (r != REGISTERS_SET) result = r;
            complete(t, nr, a[0], r);
        } finally {
            tracer.syscall(t.tid, SyscallTrace.finish(t, nr, started, a, result));
        }
    }

    private void complete(GuestThread t, int nr, long a0, long r) {
        Hart h = t.hart;
        if (r == REGISTERS_SET) return;
        h.x[10] = r;
        h.pc += 4;
        if (r == -Errno.EINTR && restartable(nr)) {
            t.restartable = true;
            t.restartA0 = a0;
        }
    }

    /** Calls that SA_RESTART handlers restart after an interruption (signal(7), "Interruption of system calls"). */
    private static boolean restartable(int nr) {
        return nr == READ || nr == WRITE || nr == READV || nr == WRITEV || nr == PREAD64 || nr == PWRITE64
                || nr == WAIT4 || nr == WAITID || nr == OPENAT || nr == FLOCK || nr == FCNTL || nr == IOCTL;
    }

    private long call(GuestThread t, int nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return switch (nr) {
            // files and directories
            case OPENAT -> files.openat(t, (int) a0, a1, (int) a2, (int) a3);
            case CLOSE -> files.close(t, (int) a0);
            case CLOSE_RANGE -> files.closeRange(t, (int) a0, (int) a1, (int) a2);
            case READ -> files.read(t, (int) a0, a1, a2);
            case WRITE -> files.write(t, (int) a0, a1, a2);
            case READV -> files.readv(t, (int) a0, a1, (int) a2);
            case WRITEV -> files.writev(t, (int) a0, a1, (int) a2);
            case PREAD64 -> files.pread(t, (int) a0, a1, a2, a3);
            case PWRITE64 -> files.pwrite(t, (int) a0, a1, a2, a3);
            case PREADV -> files.preadv(t, (int) a0, a1, (int) a2, a3);
            case PWRITEV -> files.pwritev(t, (int) a0, a1, (int) a2, a3);
            case LSEEK -> files.lseek(t, (int) a0, a1, (int) a2);
            case SENDFILE -> files.sendfile(t, (int) a0, (int) a1, a2, a3);
            case COPY_FILE_RANGE -> files.copyFileRange(t, (int) a0, a1, (int) a2, a3, a4);
            case GETDENTS64 -> files.getdents64(t, (int) a0, a1, (int) a2);
            case NEWFSTATAT -> files.newfstatat(t, (int) a0, a1, a2, (int) a3);
            case FSTAT -> files.fstat(t, (int) a0, a1);
            case STATX -> files.statx(t, (int) a0, a1, (int) a2, (int) a3, a4);
            case STATFS -> files.statfs(t, a0, a1);
            case FSTATFS -> files.fstatfs(t, (int) a0, a1);
            case READLINKAT -> files.readlinkat(t, (int) a0, a1, a2, (int) a3);
            case FACCESSAT -> files.faccessat(t, (int) a0, a1, (int) a2, 0);
            case FACCESSAT2 -> files.faccessat(t, (int) a0, a1, (int) a2, (int) a3);
            case MKDIRAT -> files.mkdirat(t, (int) a0, a1, (int) a2);
            case MKNODAT -> files.mknodat(t, (int) a0, a1, (int) a2, a3);
            case UNLINKAT -> files.unlinkat(t, (int) a0, a1, (int) a2);
            case RENAMEAT -> files.renameat(t, (int) a0, a1, (int) a2, a3, 0);
            case RENAMEAT2 -> files.renameat(t, (int) a0, a1, (int) a2, a3, (int) a4);
            case SYMLINKAT -> files.symlinkat(t, a0, (int) a1, a2);
            case LINKAT -> files.linkat(t, (int) a0, a1, (int) a2, a3, (int) a4);
            case FCHMOD -> files.fchmod(t, (int) a0, (int) a1);
            case FCHMODAT -> files.fchmodat(t, (int) a0, a1, (int) a2);
            case FCHOWN -> files.fchown(t, (int) a0, (int) a1, (int) a2);
            case FCHOWNAT -> files.fchownat(t, (int) a0, a1, (int) a2, (int) a3, (int) a4);
            case UTIMENSAT -> files.utimensat(t, (int) a0, a1, a2, (int) a3);
            case TRUNCATE -> files.truncate(t, a0, a1);
            case FTRUNCATE -> files.ftruncate(t, (int) a0, a1);
            case FALLOCATE -> files.fallocate(t, (int) a0, (int) a1, a2, a3);
            case FSYNC, FDATASYNC -> files.fsync(t, (int) a0);
            case SYNC -> 0;
            case GETCWD -> files.getcwd(t, a0, a1);
            case CHDIR -> files.chdir(t, a0);
            case FCHDIR -> files.fchdir(t, (int) a0);
            case DUP -> files.dup(t, (int) a0);
            case DUP3 -> files.dup3(t, (int) a0, (int) a1, (int) a2);
            case FCNTL -> files.fcntl(t, (int) a0, (int) a1, a2);
            case IOCTL -> files.ioctl(t, (int) a0, (int) a1, a2);
            case FLOCK -> files.flock(t, (int) a0, (int) a1);
            case PIPE2 -> files.pipe2(t, a0, (int) a1);
            case UMASK -> files.umask(t, (int) a0);
            case FADVISE64, READAHEAD -> 0;
            case MEMFD_CREATE -> files.memfdCreate(t, a0, (int) a1);
            // readiness
            case PPOLL -> polls.ppoll(t, a0, (int) a1, a2, a3, a4);
            case PSELECT6 -> polls.pselect6(t, (int) a0, a1, a2, a3, a4, a5);
            case EPOLL_CREATE1 -> polls.epollCreate1(t, (int) a0);
            case EPOLL_CTL -> polls.epollCtl(t, (int) a0, (int) a1, (int) a2, a3);
            case EPOLL_PWAIT -> polls.epollPwait(t, (int) a0, a1, (int) a2, (int) a3, a4, a5);
            case EVENTFD2 -> polls.eventfd2(t, (int) a0, (int) a1);
            // memory
            case BRK -> memory.brk(t, a0);
            case MMAP -> memory.mmap(t, a0, a1, (int) a2, (int) a3, (int) a4, a5);
            case MUNMAP -> memory.munmap(t, a0, a1);
            case MPROTECT -> memory.mprotect(t, a0, a1, (int) a2);
            case MREMAP -> memory.mremap(t, a0, a1, a2, (int) a3, a4);
            case MADVISE -> memory.madvise(t, a0, a1, (int) a2);
            case MINCORE -> memory.mincore(t, a0, a1, a2);
            case MSYNC -> memory.msync(t, a0, a1, (int) a2);
            case MLOCK, MUNLOCK, MLOCKALL, MUNLOCKALL -> 0;
            case MEMBARRIER -> memory.membarrier(t, (int) a0);
            case RISCV_FLUSH_ICACHE -> memory.flushIcache(t);
            // processes and threads
            case CLONE -> processes.clone(t, a0, a1, a2, a3, a4);
            case CLONE3 -> -Errno.ENOSYS;
            case EXECVE -> processes.execve(t, a0, a1, a2);
            case EXIT -> processes.exit(t, (int) a0);
            case EXIT_GROUP -> processes.exitGroup(t, (int) a0);
            case WAIT4 -> processes.wait4(t, (int) a0, a1, (int) a2, a3);
            case WAITID -> processes.waitid(t, (int) a0, (int) a1, a2, (int) a3);
            case SET_TID_ADDRESS -> processes.setTidAddress(t, a0);
            case SET_ROBUST_LIST -> { t.robustList = a0; yield 0; }
            case GET_ROBUST_LIST -> processes.getRobustList(t, (int) a0, a1, a2);
            case FUTEX -> kernel.futexes.futex(t, a0, (int) a1, (int) a2, a3, a4, (int) a5);
            case GETPID -> t.process.pid;
            case GETPPID -> processes.getppid(t);
            case GETTID -> t.tid;
            case SETPGID -> processes.setpgid(t, (int) a0, (int) a1);
            case GETPGID -> processes.getpgid(t, (int) a0);
            case GETSID -> t.process.sid;
            case SETSID -> processes.setsid(t);
            case SCHED_YIELD -> { Thread.yield(); yield 0; }
            case SCHED_GETAFFINITY -> info.schedGetaffinity(t, a1, a2);
            case SCHED_SETAFFINITY, SCHED_SETPARAM, SCHED_SETSCHEDULER, SETPRIORITY -> 0;
            case SCHED_GETSCHEDULER, SCHED_GET_PRIORITY_MAX, SCHED_GET_PRIORITY_MIN -> 0;
            case SCHED_GETPARAM -> { t.memory().writeInt(a1, 0); yield 0; }
            case GETPRIORITY -> 20;
            case GETCPU -> info.getcpu(t, a0, a1);
            case RSEQ -> -Errno.ENOSYS;
            case PRCTL -> info.prctl(t, (int) a0, a1, a2);
            case PERSONALITY -> 0;
            // signals
            case RT_SIGACTION -> signals.rtSigaction(t, (int) a0, a1, a2, a3);
            case RT_SIGPROCMASK -> signals.rtSigprocmask(t, (int) a0, a1, a2, a3);
            case RT_SIGRETURN -> { SignalFrames.sigreturn(t); yield REGISTERS_SET; }
            case RT_SIGSUSPEND -> signals.rtSigsuspend(t, a0, a1);
            case RT_SIGPENDING -> signals.rtSigpending(t, a0, a1);
            case RT_SIGTIMEDWAIT -> signals.rtSigtimedwait(t, a0, a1, a2, a3);
            case RT_SIGQUEUEINFO -> signals.rtSigqueueinfo(t, (int) a0, (int) a1, a2);
            case SIGALTSTACK -> signals.sigaltstack(t, a0, a1);
            case KILL -> signals.kill(t, (int) a0, (int) a1);
            case TKILL -> signals.tgkill(t, -1, (int) a0, (int) a1);
            case TGKILL -> signals.tgkill(t, (int) a0, (int) a1, (int) a2);
            case SETITIMER -> t.process.timers.setitimer(t, (int) a0, a1, a2);
            case GETITIMER -> t.process.timers.getitimer(t, (int) a0, a1);
            case TIMER_CREATE -> t.process.timers.timerCreate(t, (int) a0, a1, a2);
            case TIMER_SETTIME -> t.process.timers.timerSettime(t, (int) a0, (int) a1, a2, a3);
            case TIMER_GETTIME -> t.process.timers.timerGettime(t, (int) a0, a1);
            case TIMER_GETOVERRUN -> t.process.timers.timerGetoverrun((int) a0);
            case TIMER_DELETE -> t.process.timers.timerDelete((int) a0);
            // time
            case CLOCK_GETTIME -> time.clockGettime(t, (int) a0, a1);
            case CLOCK_GETRES -> time.clockGetres(t, (int) a0, a1);
            case GETTIMEOFDAY -> time.gettimeofday(t, a0, a1);
            case NANOSLEEP -> time.nanosleep(t, a0, a1);
            case CLOCK_NANOSLEEP -> time.clockNanosleep(t, (int) a0, (int) a1, a2, a3);
            case TIMES -> time.times(t, a0);
            // identity, limits, system information
            case GETUID, GETEUID -> kernel.creds.uid();
            case GETGID, GETEGID -> kernel.creds.gid();
            case GETRESUID -> info.getres(t, kernel.creds.uid(), a0, a1, a2);
            case GETRESGID -> info.getres(t, kernel.creds.gid(), a0, a1, a2);
            case SETUID, SETGID, SETREUID, SETREGID, SETRESUID, SETRESGID, SETFSUID, SETFSGID ->
                    info.setIds(t, a0, a1, a2);
            case GETGROUPS -> info.getgroups(t, (int) a0, a1);
            case SETGROUPS -> -Errno.EPERM;
            case UNAME -> info.uname(t, a0);
            case SYSINFO -> info.sysinfo(t, a0);
            case GETRLIMIT -> info.prlimit(t, 0, (int) a0, 0, a1);
            case SETRLIMIT -> info.prlimit(t, 0, (int) a0, a1, 0);
            case PRLIMIT64 -> info.prlimit(t, (int) a0, (int) a1, a2, a3);
            case GETRUSAGE -> info.getrusage(t, (int) a0, a1);
            case GETRANDOM -> info.getrandom(t, a0, a1, (int) a2);
            case RISCV_HWPROBE -> info.riscvHwprobe(t, a0, a1);
            case CAPGET -> info.capget(t, a1);
            case SOCKET, SOCKETPAIR -> -Errno.EAFNOSUPPORT;
            default -> unknown(nr);
        };
    }

    private long unknown(int nr) {
        if (reported.add(nr)) {
            kernel.diagnostics.println("rivet: unsupported system call " + nr + " (" + SyscallNames.of(nr) + ") returns ENOSYS");
        }
        return -Errno.ENOSYS;
    }
}
