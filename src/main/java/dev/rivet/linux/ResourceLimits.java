package dev.rivet.linux;

/**
 * A process's resource limits (getrlimit/setrlimit/prlimit64): soft and hard values per resource,
 * inherited by fork and kept across exec. The guest may lower them and raise a soft limit up to
 * its hard one; RLIMIT_NOFILE is enforced by the descriptor table. The sandbox's own limits
 * (--max-memory and friends) apply whatever these say.
 */
final class ResourceLimits {
    static final int RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIMIT_AS = 9, RLIM_NLIMITS = 16;
    static final long INFINITY = -1;

    private final long[] soft = new long[RLIM_NLIMITS];
    private final long[] hard = new long[RLIM_NLIMITS];

    ResourceLimits(long maxMemory) {
        java.util.Arrays.fill(soft, INFINITY);
        java.util.Arrays.fill(hard, INFINITY);
        soft[RLIMIT_STACK] = ProgramLoader.STACK_SIZE;
        soft[RLIMIT_NOFILE] = hard[RLIMIT_NOFILE] = FdTable.MAX_FDS;
        if (maxMemory > 0) soft[RLIMIT_AS] = hard[RLIMIT_AS] = maxMemory;
    }

    private ResourceLimits(ResourceLimits other) {
        System.arraycopy(other.soft, 0, soft, 0, RLIM_NLIMITS);
        System.arraycopy(other.hard, 0, hard, 0, RLIM_NLIMITS);
    }

    synchronized ResourceLimits copy() {
        return new ResourceLimits(this);
    }

    synchronized long soft(int resource) {
        return soft[resource];
    }

    synchronized long hard(int resource) {
        return hard[resource];
    }

    /** Sets a limit; EINVAL if soft exceeds hard, EPERM if the hard limit would rise. */
    synchronized void set(int resource, long newSoft, long newHard) {
        if (Long.compareUnsigned(newSoft, newHard) > 0) throw new GuestError(Errno.EINVAL);
        if (Long.compareUnsigned(newHard, hard[resource]) > 0) throw new GuestError(Errno.EPERM);
        if (resource == RLIMIT_NOFILE && Long.compareUnsigned(newHard, FdTable.MAX_FDS) > 0) throw new GuestError(Errno.EPERM);
        soft[resource] = newSoft;
        hard[resource] = newHard;
    }

    /** Descriptors may be numbered below this. */
    synchronized int maxDescriptors() {
        return (int) Math.min(Long.compareUnsigned(soft[RLIMIT_NOFILE], FdTable.MAX_FDS) > 0 ? FdTable.MAX_FDS : soft[RLIMIT_NOFILE],
                FdTable.MAX_FDS);
    }
}
