package dev.rivet.linux;

import dev.rivet.mem.Bytes;
import java.nio.charset.StandardCharsets;

/** uname, sysinfo, resource limits and usage, randomness, ids, prctl, affinity, riscv_hwprobe. */
final class InfoCalls {
    static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4,
            PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
    /** Host CPUs the guest is told about (sched_getaffinity, sysinfo, /proc would agree). */
    static final int CPUS = Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));

    private final Kernel kernel;

    InfoCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    long uname(GuestThread t, long addr) {
        byte[] b = new byte[65 * 6];
        String[] fields = {"Linux", "rivet", "6.1.0-rivet", "#1 SMP rivet", "riscv64", "(none)"};
        for (int i = 0; i < fields.length; i++) {
            byte[] s = fields[i].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, b, 65 * i, s.length);
        }
        t.memory().write(addr, b);
        return 0;
    }

    long sysinfo(GuestThread t, long addr) {
        byte[] b = new byte[112];
        Bytes.write(b, 0, 8, kernel.clock.nanos() / 1_000_000_000L);
        long total = kernel.options.maxMemoryBytes() > 0 ? kernel.options.maxMemoryBytes() : Runtime.getRuntime().maxMemory();
        Bytes.write(b, 32, 8, total);
        Bytes.write(b, 40, 8, Math.max(0, total - kernel.memoryBudget.residentBytes()));
        Bytes.write(b, 80, 2, kernel.processes.size());
        Bytes.write(b, 104, 4, 1);
        t.memory().write(addr, b);
        return 0;
    }

    long prlimit(GuestThread t, int pid, int resource, long newAddr, long oldAddr) {
        if (resource < 0 || resource >= ResourceLimits.RLIM_NLIMITS) return -Errno.EINVAL;
        GuestProcess p = pid == 0 ? t.process : kernel.processes.get(pid);
        if (p == null) return -Errno.ESRCH;
        ResourceLimits limits = p.limits;
        byte[] next = newAddr != 0 ? t.memory().read(newAddr, 16) : null;
        if (oldAddr != 0) {
            byte[] b = new byte[16];
            Bytes.write(b, 0, 8, limits.soft(resource));
            Bytes.write(b, 8, 8, limits.hard(resource));
            t.memory().write(oldAddr, b);
        }
        if (next != null) limits.set(resource, Bytes.i64(next, 0), Bytes.i64(next, 8));
        return 0;
    }

    long getrusage(GuestThread t, int who, long addr) {
        byte[] b = new byte[144];
        long ns = kernel.clock.nanos();
        Bytes.write(b, 0, 8, ns / 1_000_000_000L);
        Bytes.write(b, 8, 8, (ns % 1_000_000_000L) / 1000);
        Bytes.write(b, 32, 8, kernel.memoryBudget.residentBytes() / 1024);
        t.memory().write(addr, b);
        return 0;
    }

    long getrandom(GuestThread t, long buf, long len, int flags) {
        int n = (int) Math.min(len, 1 << 25);
        byte[] b = new byte[n];
        kernel.random.nextBytes(b);
        t.memory().write(buf, b);
        return n;
    }

    /**
     * riscv_hwprobe: answers the keys it knows (MVENDORID..IMA_EXT_0, CPUPERF_0) and marks others
     * unknown (key -1), as Linux does for keys newer than itself.
     */
    long riscvHwprobe(GuestThread t, long pairs, long count) {
        UserMemory mem = t.memory();
        for (long i = 0; i < count; i++) {
            long key = mem.readLong(pairs + 16 * i);
            long value;
            switch ((int) key) {
                case 0, 1, 2 -> value = 0;                  // vendor, arch and implementation ids
                case 3 -> value = 1;                        // BASE_BEHAVIOR_IMA
                case 4 -> value = 1 | 2 | 8 | 16 | 32;      // IMA_EXT_0: FD, C, Zba, Zbb, Zbs
                case 5 -> value = 0;                        // CPUPERF_0: misaligned speed unknown
                default -> {
                    mem.writeLong(pairs + 16 * i, -1);
                    value = 0;
                }
            }
            mem.writeLong(pairs + 16 * i + 8, value);
        }
        return 0;
    }

    long capget(GuestThread t, long data) {
        if (data != 0) t.memory().write(data, new byte[24]);
        return 0;
    }

    long getres(GuestThread t, int id, long a, long b, long c) {
        t.memory().writeInt(a, id);
        t.memory().writeInt(b, id);
        t.memory().writeInt(c, id);
        return 0;
    }

    /** set*id: succeeds only when it changes nothing (the guest cannot become another user). */
    long setIds(GuestThread t, long... ids) {
        int uid = kernel.creds.uid(), gid = kernel.creds.gid();
        for (long id : ids) {
            int v = (int) id;
            if (v != -1 && v != uid && v != gid) return -Errno.EPERM;
        }
        return 0;
    }

    long getgroups(GuestThread t, int size, long list) {
        if (size == 0) return 1;
        if (size < 1) return -Errno.EINVAL;
        t.memory().writeInt(list, kernel.creds.gid());
        return 1;
    }

    long schedGetaffinity(GuestThread t, long size, long mask) {
        if (size < 8) return -Errno.EINVAL;
        long bits = CPUS >= 64 ? -1L : (1L << CPUS) - 1;
        t.memory().writeLong(mask, bits);
        return 8;
    }

    long getcpu(GuestThread t, long cpu, long node) {
        if (cpu != 0) t.memory().writeInt(cpu, 0);
        if (node != 0) t.memory().writeInt(node, 0);
        return 0;
    }

    long prctl(GuestThread t, int option, long a2, long a3) {
        switch (option) {
            case PR_SET_NAME -> {
                String name = t.memory().readString(a2, 4096);
                t.process.comm = name.length() > 15 ? name.substring(0, 15) : name;
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] b = new byte[16];
                byte[] n = t.process.comm.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(n, 0, b, 0, Math.min(15, n.length));
                t.memory().write(a2, b);
                return 0;
            }
            case PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS -> {
                return 0;
            }
            case PR_GET_DUMPABLE -> {
                return 1;
            }
            case PR_GET_NO_NEW_PRIVS, PR_GET_PDEATHSIG -> {
                if (option == PR_GET_PDEATHSIG) t.memory().writeInt(a2, 0);
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }
}
