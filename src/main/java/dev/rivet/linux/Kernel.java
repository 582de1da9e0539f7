package dev.rivet.linux;

import dev.rivet.cpu.Clock;
import dev.rivet.cpu.Hart;
import dev.rivet.elf.ElfException;
import dev.rivet.elf.ElfFile;
import dev.rivet.host.HostEntropy;
import dev.rivet.jit.Jit;
import dev.rivet.linux.fs.GuestFileSystem;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process VM's stand-in for the Linux kernel: one sandbox holding the guest's processes and
 * threads, the file-system view, the limits, and the system-call table. {@link #run} starts the
 * first program and returns the exit status a shell would show for it.
 */
public final class Kernel {
    /** What the user asked for on the command line. */
    public record Options(long maxInstructions, long maxMemoryBytes, double timeoutSeconds, boolean stats) {}

    /** Guest threads (of all processes) one sandbox may have at once; clone fails with EAGAIN beyond. */
    static final int MAX_THREADS = 2048;

    final GuestFileSystem fs;
    final Options options;
    final Clock clock = Clock.host();
    final Credentials creds = Credentials.ofHostUser();
    final Readiness readiness = new Readiness();
    final Console console;
    final MemoryBudget memoryBudget;
    final Syscalls syscalls;
    final Futexes futexes = new Futexes();
    final HostEntropy random = new HostEntropy();
    final SyscallStats stats = new SyscallStats();
    final PrintStream diagnostics;
    final long startNanos = System.nanoTime();
    private final InstructionRate rate = new InstructionRate(startNanos);

    private final AtomicInteger nextId = new AtomicInteger(1);
    final Map<Integer, GuestProcess> processes = new ConcurrentHashMap<>();
    final Map<Integer, GuestThread> threads = new ConcurrentHashMap<>();
    private final AtomicLong instructions = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitStatus;
    private volatile String abortMessage;
    private GuestProcess init;
    /** The debugger and tracer adapter, or null (set before the first program starts). */
    volatile GuestDebug debug;
    /** The translator every guest hart uses, or null to interpret only. */
    private Jit jit;

    public Kernel(GuestFileSystem fs, Options options, Console console, PrintStream diagnostics) {
        this.fs = fs;
        this.options = options;
        this.console = console;
        this.diagnostics = diagnostics;
        // Without an explicit limit, guest memory may use most of the JVM heap, so running out is
        // reported as the guest's memory limit rather than as a host failure.
        long memoryLimit = options.maxMemoryBytes() > 0 ? options.maxMemoryBytes() : Runtime.getRuntime().maxMemory() / 4 * 3;
        this.memoryBudget = new MemoryBudget(memoryLimit);
        this.syscalls = new Syscalls(this);
    }

    /** Runs guest code through {@code jit} (null: interpreter only). Call before running a program. */
    public void useTranslator(Jit jit) {
        this.jit = jit;
    }

    /** A new hart for a guest thread of this sandbox. */
    Hart newHart(int id, AddressSpace space) {
        Hart hart = new Hart(id, space, clock, true);
        space.attach(hart);
        if (jit != null) jit.attach(hart);
        return hart;
    }

    /** Runs a program given as ELF bytes from the host; {@code guestPath} is the name the guest sees. */
    public int runHostProgram(byte[] elf, String guestPath, List<String> argv, List<String> envp, String cwd)
            throws ElfException, InterruptedException {
        GuestProcess p = newInit(cwd);
        Exec.Program prog = new Exec.Program(ElfFile.parse(elf, guestPath), guestPath, argv);
        return start(p, prog, envp);
    }

    /** Runs a program found at {@code path} in the guest's own file system. */
    public int runGuestProgram(String path, List<String> argv, List<String> envp, String cwd)
            throws ElfException, InterruptedException {
        GuestProcess p = newInit(cwd);
        return start(p, Exec.resolve(p, path, argv), envp);
    }

    private GuestProcess newInit(String cwd) {
        AddressSpace space = new AddressSpace(memoryBudget);
        FdTable fds = new FdTable();
        for (int fd = 0; fd < 3; fd++) fds.add(console.open(fd), false);
        init = new GuestProcess(this, nextId.getAndIncrement(), null, space, fds, cwd, new SignalActions());
        return init;
    }

    private int start(GuestProcess p, Exec.Program prog, List<String> envp) throws ElfException, InterruptedException {
        Hart hart = newHart(p.pid, p.space);
        GuestThread main = new GuestThread(p.pid, p, hart);
        Exec.start(p, main, prog, envp, p.space);
        processes.put(p.pid, p);
        threads.put(main.tid, main);
        p.threads.add(main);
        Thread watchdog = startWatchdog();
        main.start();
        finished.await();
        if (watchdog != null) watchdog.interrupt();
        for (GuestProcess other : processes.values()) stopProcess(other);
        if (options.stats()) {
            long end = System.nanoTime();
            stats.print(diagnostics, instructions.get(), end - startNanos);
            rate.print(diagnostics, instructions.get(), end);
            if (jit != null) jit.printStats(diagnostics, instructions.get());
        }
        if (abortMessage != null) diagnostics.println("rivet: " + abortMessage);
        return exitStatus;
    }

    private Thread startWatchdog() {
        if (options.timeoutSeconds() <= 0) return null;
        long millis = (long) (options.timeoutSeconds() * 1000);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
                abort("guest ran past its time limit (--timeout " + options.timeoutSeconds() + " s)",
                        LimitExceeded.STATUS_TIMEOUT);
            } catch (InterruptedException done) {
                // The guest finished first.
            }
        }, "rivet-timeout");
        t.setDaemon(true);
        t.start();
        return t;
    }

    GuestProcess firstProcess() {
        return init;
    }

    /** Debugs and/or traces the guest through {@code debug} (call before running a program). */
    public void attach(GuestDebug debug) {
        this.debug = debug;
    }

    boolean hasFinished() {
        return finished.getCount() == 0;
    }

    /** The signal that killed the first process (0 if it exited, or has not ended). */
    public int exitSignal() {
        GuestProcess p = init;
        return p == null ? 0 : p.waitStatus & 0x7f;
    }

    int newId() {
        return nextId.getAndIncrement();
    }

    // ---------------------------------------------------------------- limits

    long sliceBudget() {
        long max = options.maxInstructions();
        if (max <= 0) return GuestThread.SLICE;
        return Math.max(1, Math.min(GuestThread.SLICE, max - instructions.get()));
    }

    void countInstructions(long n) {
        long total = instructions.addAndGet(n);
        if (options.stats()) rate.record(total);
        long max = options.maxInstructions();
        if (max > 0 && total >= max) {
            throw new LimitExceeded("guest reached its instruction limit (--max-insns " + max + ")",
                    LimitExceeded.STATUS_INSTRUCTIONS);
        }
    }

    void checkLimits() {
        if (finished.getCount() == 0) throw ThreadExit.INSTANCE;
    }

    public long instructions() {
        return instructions.get();
    }

    /** Ends the whole sandbox with a message and status (a limit was hit). */
    void abort(String message, int status) {
        finish(status, message);
    }

    /** Records how the sandbox ended; the first ending wins (a limit, or the first process's exit). */
    private synchronized void finish(int status, String message) {
        if (finished.getCount() == 0) return;
        abortMessage = message;
        exitStatus = status;
        finished.countDown();
    }

    void internalError(GuestThread t, Throwable bug) {
        diagnostics.println("rivet: internal error in guest thread " + t.tid + " at pc 0x" + Long.toHexString(t.hart.pc)
                + ": " + bug);
        if (System.getenv("RIVET_DEBUG") != null) bug.printStackTrace(diagnostics);
        abort("stopped after an internal error", 70);
    }

    // ---------------------------------------------------------------- process and thread ends

    /** Ends a whole process because of a signal, recording the wait status a parent will see. */
    void killProcess(GuestProcess p, SigInfo sig, long pc) {
        synchronized (p) {
            if (p.exiting) return;
            p.exiting = true;
            p.waitStatus = sig.signo() | (Signal.dumpsCore(sig.signo()) ? 0x80 : 0);
        }
        if (sig.code() > 0 && sig.code() < SigInfo.SI_KERNEL) {
            diagnostics.printf("rivet: process %d killed by %s at address 0x%x (pc 0x%x)%n",
                    p.pid, Signal.name(sig.signo()), sig.addr(), pc);
        }
        stopProcess(p);
    }

    /** exit_group: every thread of the process ends. */
    void exitProcess(GuestProcess p, int code) {
        synchronized (p) {
            if (p.exiting) return;
            p.exiting = true;
            p.waitStatus = (code & 0xff) << 8;
        }
        stopProcess(p);
    }

    private void stopProcess(GuestProcess p) {
        p.exiting = true;
        for (GuestThread t : p.liveThreads()) t.wake();
    }

    /** Called by each guest thread's host thread as it ends. */
    void threadEnded(GuestThread t) {
        GuestProcess p = t.process;
        threads.remove(t.tid);
        if (t.hart.memory instanceof AddressSpace space) space.detach(t.hart);
        if (t.clearChildTid != 0 && !p.exiting) {
            try {
                p.memory.writeInt(t.clearChildTid, 0);
                futexes.wake(p.space, t.clearChildTid, 1, -1);
            } catch (GuestError ignored) {
                // The tid word is gone with its memory: nothing to wake.
            }
        }
        boolean last;
        synchronized (p) {
            p.threads.remove(t);
            last = p.threads.isEmpty();
        }
        if (last) processEnded(p);
    }

    private void processEnded(GuestProcess p) {
        p.timers.cancelAll();
        p.fds.closeAll();
        p.space.syncAll();
        p.vforkDone.countDown();
        GuestProcess parent;
        synchronized (p) {
            parent = p.parent;
        }
        if (parent == null && p != init) {
            // An orphan (its parent ended first): nobody will wait for it, and the sandbox goes on.
            if (!p.sharesParentMemory) p.space.clear();
            processes.remove(p.pid);
            return;
        }
        if (parent == null) {
            finish((p.waitStatus & 0x7f) != 0 ? 128 + (p.waitStatus & 0x7f) : (p.waitStatus >> 8) & 0xff, null);
            return;
        }
        Processes.becomeZombie(this, p);
    }
}
