package dev.rivet.linux;

import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.StatEncoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (fs/eventpoll.c): an interest list of (descriptor number, open file) pairs,
 * each with the events wanted and 64 bits of user data, and a ready list like Linux's. Rather than
 * taking wake-up callbacks from every file, it looks at each watched file's
 * {@link OpenFile#readinessEvents()} stamp when asked for events: a file whose stamp moved has had
 * an event and joins the ready list (in the order the events happened), as the callback would
 * have put it there.
 *
 * <p>Reporting then follows Linux: an entry leaves the ready list when reported or found not
 * ready; a level-triggered one that was reported goes back to the tail, so it is reported while it
 * stays ready and a small maxevents still sees every file in turn. An edge-triggered one comes
 * back only with its next event (Linux filters events by kind, so this may report an edge a
 * little more often, never less). A one-shot entry is disarmed after one report until
 * EPOLL_CTL_MOD re-arms it. An entry whose open file has been closed in every descriptor drops out.
 */
final class Epoll extends OpenFile {
    static final int EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
            EPOLLRDNORM = 0x40, EPOLLWRNORM = 0x100, EPOLLRDHUP = 0x2000;
    static final int EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    static final int CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3;
    /** struct epoll_event on riscv64: u32 events, 4 bytes padding, u64 data (packed only on x86-64). */
    static final int EVENT_SIZE = 16;
    /** Flags that steer the entry rather than name events; a disarmed one-shot entry keeps only these. */
    private static final int CONTROL_BITS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;
    /** How deep epoll instances may watch each other (fs/eventpoll.c EP_MAX_NESTS). */
    private static final int MAX_NESTS = 4;
    private static final Object NESTING = new Object();

    private record Key(int fd, OpenFile file) {}

    /** One watched file. */
    private static final class Entry {
        int events;
        long data;
        /** The file's readinessEvents() when last looked at: a different value means an event since. */
        long seen;

        Entry(int events, long data, long seen) {
            this.events = events;
            this.data = data;
            this.seen = seen;
        }
    }

    /** A reported event: what to write to the guest's array. */
    record Event(int events, long data) {}

    private final Readiness readiness;
    private final long inode;
    private final Map<Key, Entry> interest = new LinkedHashMap<>();
    /** Entries that had an event and may be ready, oldest first. */
    private final LinkedHashSet<Key> ready = new LinkedHashSet<>();
    /** When the interest list last changed (a Readiness version). */
    private long changedAt;

    Epoll(Readiness readiness, long inode) {
        super("anon_inode:[eventpoll]", O_RDWR);
        this.readiness = readiness;
        this.inode = inode;
    }

    /**
     * epoll_ctl for an already validated target (not this instance, pollable). Changes that link
     * epoll instances together are made one at a time, like Linux's epmutex, so two concurrent
     * additions cannot build a cycle the loop check would have refused.
     */
    void control(int op, int fd, OpenFile file, int events, long data) {
        if (file instanceof Epoll) {
            synchronized (NESTING) {
                controlLocked(op, fd, file, events, data);
            }
        } else {
            controlLocked(op, fd, file, events, data);
        }
    }

    private synchronized void controlLocked(int op, int fd, OpenFile file, int events, long data) {
        Key key = new Key(fd, file);
        // Take in the events so far first, so the ready list keeps the order they happened in.
        gatherEvents();
        Entry e = interest.get(key);
        switch (op) {
            case CTL_ADD -> {
                if (e != null) throw new GuestError(Errno.EEXIST);
                if (file instanceof Epoll inner && (inner.reaches(this, 1) || inner.depth(1) > MAX_NESTS)) {
                    throw new GuestError(Errno.ELOOP);
                }
                interest.put(key, new Entry(events, data, file.readinessEvents()));
                // Linux looks at the file at once: one ready now is reported by the next wait.
                ready.add(key);
            }
            case CTL_MOD -> {
                if (e == null) throw new GuestError(Errno.ENOENT);
                // EPOLLEXCLUSIVE can only be given when adding (and then never modified).
                if ((events & EPOLLEXCLUSIVE) != 0 || (e.events & EPOLLEXCLUSIVE) != 0) throw new GuestError(Errno.EINVAL);
                e.events = events;
                e.data = data;
                e.seen = file.readinessEvents();
                // Linux re-checks the file at once: ready under the new mask, it is reported (this re-arms one-shot).
                ready.add(key);
            }
            case CTL_DEL -> {
                if (e == null) throw new GuestError(Errno.ENOENT);
                interest.remove(key);
                ready.remove(key);
            }
            default -> throw new GuestError(Errno.EINVAL);
        }
        // A waiter on this instance (or on an epoll watching it) must look at the new interest list.
        changedAt = readiness.changed();
    }

    /** Whether this instance watches {@code target}, directly or through nested instances. */
    private synchronized boolean reaches(Epoll target, int depth) {
        if (this == target) return true;
        if (depth > MAX_NESTS) return true;
        for (Key k : interest.keySet()) {
            if (k.file() instanceof Epoll inner && inner.reaches(target, depth + 1)) return true;
        }
        return false;
    }

    private synchronized int depth(int level) {
        int max = level;
        for (Key k : interest.keySet()) {
            if (k.file() instanceof Epoll inner) max = Math.max(max, inner.depth(level + 1));
        }
        return max;
    }

    private void dropClosed() {
        interest.keySet().removeIf(k -> !k.file().isOpen());
        ready.removeIf(k -> !k.file().isOpen());
    }

    /** Puts entries whose file had an event since the last look on the ready list, in event order. */
    private void gatherEvents() {
        dropClosed();
        List<Map.Entry<Key, Long>> arrived = new ArrayList<>();
        for (Map.Entry<Key, Entry> me : interest.entrySet()) {
            long stamp = me.getKey().file().readinessEvents();
            Entry e = me.getValue();
            if (stamp == e.seen) continue;
            e.seen = stamp;
            if (!ready.contains(me.getKey())) arrived.add(Map.entry(me.getKey(), stamp));
        }
        arrived.sort(Map.Entry.comparingByValue());
        for (Map.Entry<Key, Long> a : arrived) ready.add(a.getKey());
    }

    /** The events of an entry to report now, or 0. */
    private int pending(Key k) {
        Entry e = interest.get(k);
        int wanted = e.events & ~CONTROL_BITS;
        if (wanted == 0) return 0;  // a disarmed one-shot entry, or one that asked for nothing
        return expand(k.file().poll()) & (wanted | EPOLLERR | EPOLLHUP);
    }

    /** Adds the RDNORM/WRNORM bits Linux's poll functions report alongside IN/OUT. */
    static int expand(int mask) {
        if ((mask & EPOLLIN) != 0) mask |= EPOLLRDNORM;
        if ((mask & EPOLLOUT) != 0) mask |= EPOLLWRNORM;
        return mask;
    }

    /** Takes up to {@code max} events off the ready list (ep_send_events). */
    synchronized List<Event> collect(int max) {
        gatherEvents();
        List<Event> out = new ArrayList<>();
        List<Key> again = new ArrayList<>();
        for (Iterator<Key> it = ready.iterator(); it.hasNext() && out.size() < max; ) {
            Key k = it.next();
            it.remove();
            int events = pending(k);
            if (events == 0) continue;
            Entry e = interest.get(k);
            out.add(new Event(events, e.data));
            if ((e.events & EPOLLONESHOT) != 0) e.events &= CONTROL_BITS;
            else if ((e.events & EPOLLET) == 0) again.add(k);
        }
        // Reported level-triggered entries go behind the ones not reached, so every file gets its turn.
        ready.addAll(again);
        return out;
    }

    /** An epoll instance is readable while it has something to report (so it can be polled or nested). */
    @Override
    public synchronized int poll() {
        gatherEvents();
        for (Key k : ready) {
            if (pending(k) != 0) return POLLIN;
        }
        return 0;
    }

    @Override
    public boolean pollable() {
        return true;
    }

    /** The latest event among the watched files or the interest list itself. */
    @Override
    public synchronized long readinessEvents() {
        long latest = changedAt;
        for (Key k : interest.keySet()) latest = Math.max(latest, k.file().readinessEvents());
        return latest;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        throw new GuestError(Errno.EINVAL);
    }

    @Override
    public byte[] stat() {
        return StatEncoder.stat(FileStat.synthetic(0600, 0, inode));
    }
}
