package dev.rivet.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Futex wait queues (kernel/futex): wait, wake, bitsets, requeue and wake-op. A futex is known by
 * its address space and virtual address, so futexes are private to a process (and its threads);
 * process-shared futexes in MAP_SHARED memory between processes are not matched across them.
 * The value check and the enqueue happen under one lock, so a wake can never slip between them.
 */
final class Futexes {
    static final int WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, WAIT_BITSET = 9, WAKE_BITSET = 10;
    static final int PRIVATE_FLAG = 128, CLOCK_REALTIME_FLAG = 256;
    static final int BITSET_MATCH_ANY = -1;

    private record Key(AddressSpace space, long addr) {}

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final int bitset;
        Key key;
        volatile boolean woken;

        Waiter(Key key, int bitset) {
            this.key = key;
            this.bitset = bitset;
        }
    }

    private final Map<Key, List<Waiter>> queues = new HashMap<>();

    long futex(GuestThread t, long addr, int op, int val, long timeoutOrVal2, long addr2, int val3) {
        int cmd = op & ~(PRIVATE_FLAG | CLOCK_REALTIME_FLAG);
        if ((addr & 3) != 0) return -Errno.EINVAL;
        AddressSpace space = t.process.space;
        return switch (cmd) {
            case WAIT -> wait(t, space, addr, val, timeoutOrVal2 == 0 ? -1 : relative(t, timeoutOrVal2), BITSET_MATCH_ANY);
            case WAIT_BITSET -> {
                if (val3 == 0) yield -Errno.EINVAL;
                long nanos = -1;
                if (timeoutOrVal2 != 0) {
                    long abs = TimeCalls.readTimespec(t.memory(), timeoutOrVal2);
                    int clock = (op & CLOCK_REALTIME_FLAG) != 0 ? TimeCalls.CLOCK_REALTIME : TimeCalls.CLOCK_MONOTONIC;
                    nanos = Math.max(0, abs - t.kernel().syscalls.time.now(clock));
                }
                yield wait(t, space, addr, val, nanos, val3);
            }
            case WAKE -> wake(space, addr, val, BITSET_MATCH_ANY);
            case WAKE_BITSET -> val3 == 0 ? -Errno.EINVAL : wake(space, addr, val, val3);
            case REQUEUE -> requeue(t, space, addr, val, (int) timeoutOrVal2, addr2, false, 0);
            case CMP_REQUEUE -> requeue(t, space, addr, val, (int) timeoutOrVal2, addr2, true, val3);
            case WAKE_OP -> wakeOp(t, space, addr, val, (int) timeoutOrVal2, addr2, val3);
            default -> -Errno.ENOSYS;
        };
    }

    private static long relative(GuestThread t, long timespec) {
        return TimeCalls.readTimespec(t.memory(), timespec);
    }

    private long wait(GuestThread t, AddressSpace space, long addr, int expected, long nanos, int bitset) {
        Waiter w;
        synchronized (this) {
            if (t.memory().readInt(addr) != expected) return -Errno.EAGAIN;
            w = new Waiter(new Key(space, addr), bitset);
            queues.computeIfAbsent(w.key, k -> new ArrayList<>()).add(w);
        }
        long deadline = System.nanoTime() + nanos;
        while (!w.woken) {
            if (nanos < 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (dequeue(w)) return -Errno.ETIMEDOUT;
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            if (Thread.interrupted() && !w.woken) {
                try {
                    GuestThread.onInterrupt();
                } catch (GuestError eintr) {
                    if (dequeue(w)) throw eintr;
                    break;
                }
            }
        }
        return 0;
    }

    /** Removes a waiter that gave up; false if a wake took it first (then the wait succeeded). */
    private synchronized boolean dequeue(Waiter w) {
        List<Waiter> q = queues.get(w.key);
        if (q == null || !q.remove(w)) return false;
        if (q.isEmpty()) queues.remove(w.key);
        return true;
    }

    synchronized long wake(AddressSpace space, long addr, int count, int bitset) {
        Key key = new Key(space, addr);
        List<Waiter> q = queues.get(key);
        if (q == null) return 0;
        int woken = 0;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && woken < count; ) {
            Waiter w = it.next();
            if ((w.bitset & bitset) == 0) continue;
            it.remove();
            w.woken = true;
            LockSupport.unpark(w.thread);
            woken++;
        }
        if (q.isEmpty()) queues.remove(key);
        return woken;
    }

    private synchronized long requeue(GuestThread t, AddressSpace space, long addr, int wakeCount, int requeueCount,
                                      long addr2, boolean compare, int expected) {
        if (compare && t.memory().readInt(addr) != expected) return -Errno.EAGAIN;
        long woken = wake(space, addr, wakeCount, BITSET_MATCH_ANY);
        Key from = new Key(space, addr), to = new Key(space, addr2);
        List<Waiter> q = queues.get(from);
        int moved = 0;
        if (q != null) {
            for (Iterator<Waiter> it = q.iterator(); it.hasNext() && moved < requeueCount; ) {
                Waiter w = it.next();
                it.remove();
                w.key = to;
                queues.computeIfAbsent(to, k -> new ArrayList<>()).add(w);
                moved++;
            }
            if (q.isEmpty()) queues.remove(from);
        }
        return woken + moved;
    }

    /** FUTEX_WAKE_OP: modify *addr2, wake at addr, and at addr2 too if the old value passes the test. */
    private synchronized long wakeOp(GuestThread t, AddressSpace space, long addr, int count, int count2, long addr2,
                                     int encoded) {
        int op = (encoded >>> 28) & 7;
        boolean shiftArg = (encoded & (8 << 28)) != 0;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20;
        int cmparg = (encoded << 20) >> 20;
        if (shiftArg) oparg = 1 << (oparg & 31);
        UserMemory mem = t.memory();
        int old = mem.readInt(addr2);
        int next = switch (op) {
            case 0 -> oparg;
            case 1 -> old + oparg;
            case 2 -> old | oparg;
            case 3 -> old & ~oparg;
            case 4 -> old ^ oparg;
            default -> throw new GuestError(Errno.ENOSYS);
        };
        mem.writeInt(addr2, next);
        long woken = wake(space, addr, count, BITSET_MATCH_ANY);
        boolean test = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            case 5 -> old >= cmparg;
            default -> throw new GuestError(Errno.ENOSYS);
        };
        if (test) woken += wake(space, addr2, count2, BITSET_MATCH_ANY);
        return woken;
    }
}
