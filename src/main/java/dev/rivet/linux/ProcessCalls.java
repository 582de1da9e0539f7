package dev.rivet.linux;

import dev.rivet.cpu.Hart;
import dev.rivet.elf.ElfException;
import java.util.List;

/** clone (threads, fork, vfork), execve, exit, wait4/waitid, and process-group calls (kernel/fork.c, exit.c). */
final class ProcessCalls {
    static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000,
            CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x01000000;
    static final int WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;
    static final int P_ALL = 0, P_PID = 1, P_PGID = 2;

    private final Kernel kernel;

    ProcessCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    long clone(GuestThread t, long flags, long stack, long parentTid, long tls, long childTid) {
        GuestProcess parent = t.process;
        boolean thread = (flags & CLONE_THREAD) != 0;
        if (thread && ((flags & CLONE_VM) == 0 || (flags & CLONE_SIGHAND) == 0)) return -Errno.EINVAL;
        // Each guest thread is a host thread: a fork bomb must hit a limit, not the host.
        if (kernel.threads.size() >= Kernel.MAX_THREADS) return -Errno.EAGAIN;
        int id = kernel.newId();
        GuestProcess owner;
        if (thread) {
            owner = parent;
        } else {
            boolean sharesMemory = (flags & CLONE_VM) != 0;
            AddressSpace space = sharesMemory ? parent.space : parent.space.forkCopy();
            FdTable fds = (flags & CLONE_FILES) != 0 ? parent.fds : parent.fds.copy();
            SignalActions actions = (flags & CLONE_SIGHAND) != 0 ? parent.actions : parent.actions.copy();
            GuestProcess realParent = (flags & CLONE_PARENT) != 0 && parent.parent != null ? parent.parent : parent;
            owner = new GuestProcess(kernel, id, realParent, space, fds, parent.cwd, actions);
            owner.umask = parent.umask;
            owner.pgid = parent.pgid;
            owner.sid = parent.sid;
            owner.execPath = parent.execPath;
            owner.argv = parent.argv;
            owner.comm = parent.comm;
            owner.exitSignal = (int) (flags & 0xff);
            owner.sharesParentMemory = sharesMemory;
            synchronized (realParent) {
                realParent.children.add(owner);
            }
            kernel.processes.put(id, owner);
        }
        Hart hart = kernel.newHart(id, owner.space);
        hart.copyRegistersFrom(t.hart);
        hart.pc += 4;
        hart.x[10] = 0;
        if (stack != 0) hart.x[2] = stack;
        if ((flags & CLONE_SETTLS) != 0) hart.x[4] = tls;
        GuestThread child = new GuestThread(id, owner, hart);
        child.blocked = t.blocked;
        if ((flags & CLONE_CHILD_CLEARTID) != 0) child.clearChildTid = childTid;
        if ((flags & CLONE_PARENT_SETTID) != 0) parent.memory.writeInt(parentTid, id);
        if ((flags & CLONE_CHILD_SETTID) != 0) owner.memory.writeInt(childTid, id);
        synchronized (owner) {
            owner.threads.add(child);
        }
        kernel.threads.put(id, child);
        child.start();
        if ((flags & CLONE_VFORK) != 0) {
            // The parent sleeps until the child execs or exits: they share memory meanwhile.
            // Signals do not end this wait (Linux's vfork wait is killable only): resuming early
            // would run the parent on the stack the child is still using.
            boolean interrupted = false;
            while (!t.process.exiting && !t.killed) {
                try {
                    owner.vforkDone.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
        return id;
    }

    long execve(GuestThread t, long pathAddr, long argvAddr, long envpAddr) {
        GuestProcess p = t.process;
        UserMemory mem = t.memory();
        String path = mem.readString(pathAddr, 4096);
        List<String> argv = mem.readStringArray(argvAddr);
        List<String> envp = mem.readStringArray(envpAddr);
        Exec.Program prog;
        try {
            prog = Exec.resolve(p, path, argv);
        } catch (ElfException e) {
            return -Errno.ENOEXEC;
        }
        // Past this point there is no way back: the old program image is gone.
        for (GuestThread other : p.liveThreads()) {
            if (other != t) {
                other.killed = true;
                other.wake();
            }
        }
        for (GuestThread other : p.liveThreads()) {
            if (other != t && other.host != null) {
                try {
                    other.host.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        AddressSpace old = p.space;
        AddressSpace fresh = new AddressSpace(kernel.memoryBudget);
        p.replaceSpace(fresh);
        old.detach(t.hart);
        fresh.attach(t.hart);
        t.hart.switchMemory(fresh);
        try {
            Exec.start(p, t, prog, envp, fresh);
        } catch (ElfException | GuestError e) {
            kernel.diagnostics.println("rivet: execve of " + path + " failed after the old image was dropped: " + e.getMessage());
            kernel.killProcess(p, SigInfo.user(Signal.SIGSEGV, 0, 0), t.hart.pc);
            throw ThreadExit.INSTANCE;
        }
        if (!p.sharesParentMemory) old.clear();
        p.sharesParentMemory = false;
        p.fds.closeOnExec();
        p.actions.resetForExec();
        t.altStackFlags = SignalFrames.SS_DISABLE;
        t.clearChildTid = 0;
        p.vforkDone.countDown();
        return Syscalls.REGISTERS_SET;
    }

    long exit(GuestThread t, int code) {
        GuestProcess p = t.process;
        synchronized (p) {
            if (p.threads.size() == 1) p.waitStatus = (code & 0xff) << 8;
        }
        throw ThreadExit.INSTANCE;
    }

    long exitGroup(GuestThread t, int code) {
        kernel.exitProcess(t.process, code);
        throw ThreadExit.INSTANCE;
    }

    long wait4(GuestThread t, int pid, long statusAddr, int options, long rusageAddr) {
        Processes.Reaped r = Processes.await(kernel, t, pid, options, (options & WNOWAIT) == 0);
        if (r == null) return 0;
        if (statusAddr != 0) t.memory().writeInt(statusAddr, r.status());
        if (rusageAddr != 0) t.memory().write(rusageAddr, new byte[144]);
        return r.pid();
    }

    long waitid(GuestThread t, int idType, int id, long infoAddr, int options) {
        int pid = switch (idType) {
            case P_ALL -> -1;
            case P_PID -> id;
            case P_PGID -> id == 0 ? 0 : -id;
            default -> throw new GuestError(Errno.EINVAL);
        };
        Processes.Reaped r = Processes.await(kernel, t, pid, options, (options & WNOWAIT) == 0);
        byte[] info = new byte[128];
        if (r != null) {
            int status = r.status();
            boolean signalled = (status & 0x7f) != 0;
            dev.rivet.mem.Bytes.write(info, 0, 4, Signal.SIGCHLD);
            dev.rivet.mem.Bytes.write(info, 8, 4, signalled ? ((status & 0x80) != 0 ? SigInfo.CLD_DUMPED : SigInfo.CLD_KILLED) : SigInfo.CLD_EXITED);
            dev.rivet.mem.Bytes.write(info, 16, 4, r.pid());
            dev.rivet.mem.Bytes.write(info, 20, 4, kernel.creds.uid());
            dev.rivet.mem.Bytes.write(info, 24, 4, signalled ? status & 0x7f : (status >> 8) & 0xff);
        }
        if (infoAddr != 0) t.memory().write(infoAddr, info);
        return 0;
    }

    /**
     * The first process's parent is Rivet itself (its host pid, as a shell would see); orphans are
     * adopted by the first process, as by init on Linux.
     */
    long getppid(GuestThread t) {
        GuestProcess parent = t.process.parent;
        if (parent != null) return parent.pid;
        return t.process == kernel.firstProcess() ? ProcessHandle.current().pid() : kernel.firstProcess().pid;
    }

    long setTidAddress(GuestThread t, long addr) {
        t.clearChildTid = addr;
        return t.tid;
    }

    long getRobustList(GuestThread t, int pid, long headAddr, long lenAddr) {
        t.memory().writeLong(headAddr, t.robustList);
        t.memory().writeLong(lenAddr, 24);
        return 0;
    }

    long setpgid(GuestThread t, int pid, int pgid) {
        GuestProcess p = pid == 0 ? t.process : kernel.processes.get(pid);
        if (p == null) return -Errno.ESRCH;
        if (pgid < 0) return -Errno.EINVAL;
        p.pgid = pgid == 0 ? p.pid : pgid;
        return 0;
    }

    long getpgid(GuestThread t, int pid) {
        GuestProcess p = pid == 0 ? t.process : kernel.processes.get(pid);
        return p == null ? -Errno.ESRCH : p.pgid;
    }

    long setsid(GuestThread t) {
        GuestProcess p = t.process;
        if (p.pgid == p.pid && p.parent != null) return -Errno.EPERM;
        p.sid = p.pid;
        p.pgid = p.pid;
        return p.pid;
    }
}
