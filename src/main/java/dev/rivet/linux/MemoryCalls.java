package dev.rivet.linux;

/** brk, mmap, munmap, mprotect, mremap, madvise, mincore, msync (mm/mmap.c, mm/mremap.c semantics). */
final class MemoryCalls {
    static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_FIXED = 0x10,
            MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000, MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
    static final int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;
    private static final long PAGE = AddressSpace.PAGE;

    private final Kernel kernel;

    MemoryCalls(Kernel kernel) {
        this.kernel = kernel;
    }

    long brk(GuestThread t, long addr) {
        return t.process.space.brk(addr);
    }

    long mmap(GuestThread t, long addr, long length, int prot, int flags, int fd, long offset) {
        AddressSpace space = t.process.space;
        if (length <= 0 || (offset & (PAGE - 1)) != 0) return -Errno.EINVAL;
        long len = AddressSpace.pageUp(length);
        if (len <= 0 || len >= AddressSpace.TASK_SIZE) return -Errno.ENOMEM;
        int type = flags & 0x0f;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) return -Errno.EINVAL;
        boolean shared = type != MAP_PRIVATE;
        java.nio.channels.FileChannel channel = null;
        Object fileKey = null;
        String name = "";
        if ((flags & MAP_ANONYMOUS) == 0) {
            OpenFile f = t.process.fds.get(fd);
            channel = f.channel();
            if (channel == null) return -Errno.ENODEV;
            if (!f.readable()) return -Errno.EACCES;
            if (shared && (prot & Vma.PROT_WRITE) != 0 && !f.writable()) return -Errno.EACCES;
            name = f.guestPath();
            fileKey = f.fileKey();
        }
        long at;
        synchronized (space) {
            if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
                if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
                if (addr + len > AddressSpace.TASK_SIZE || addr < PAGE) return -Errno.ENOMEM;
                if ((flags & MAP_FIXED_NOREPLACE) != 0 && !space.isFree(addr, addr + len)) return -Errno.EEXIST;
                at = addr;
            } else {
                long hint = AddressSpace.pageDown(addr);
                at = hint >= 16 * PAGE && space.isFree(hint, hint + len) ? hint : space.findFree(len);
                if (at < 0) return -Errno.ENOMEM;
            }
            space.map(at, len, prot & 7, shared, channel, offset, fileKey, name);
        }
        return at;
    }

    long munmap(GuestThread t, long addr, long length) {
        if ((addr & (PAGE - 1)) != 0 || length <= 0) return -Errno.EINVAL;
        t.process.space.unmap(addr, AddressSpace.pageUp(length));
        return 0;
    }

    long mprotect(GuestThread t, long addr, long length, int prot) {
        if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        return t.process.space.protect(addr, AddressSpace.pageUp(length), prot & 7) ? 0 : -Errno.ENOMEM;
    }

    long mremap(GuestThread t, long oldAddr, long oldLength, long newLength, int flags, long newAddr) {
        AddressSpace space = t.process.space;
        if ((oldAddr & (PAGE - 1)) != 0 || newLength == 0) return -Errno.EINVAL;
        long oldLen = AddressSpace.pageUp(oldLength), newLen = AddressSpace.pageUp(newLength);
        synchronized (space) {
            if (!space.isCovered(oldAddr, oldAddr + Math.max(oldLen, PAGE))) return -Errno.EFAULT;
            if ((flags & MREMAP_FIXED) != 0) {
                if ((flags & MREMAP_MAYMOVE) == 0 || (newAddr & (PAGE - 1)) != 0) return -Errno.EINVAL;
                return moveTo(space, oldAddr, oldLen, newLen, newAddr);
            }
            if (newLen <= oldLen) {
                if (newLen < oldLen) space.unmap(oldAddr + newLen, oldLen - newLen);
                return oldAddr;
            }
            if (space.isFree(oldAddr + oldLen, oldAddr + newLen)) {
                Vma last = space.vmaAt(oldAddr + oldLen - 1);
                space.map(oldAddr + oldLen, newLen - oldLen, last.prot, last.shared, last.file,
                        last.fileOffset + (oldAddr + oldLen - last.start), last.fileKey, last.name);
                return oldAddr;
            }
            if ((flags & MREMAP_MAYMOVE) == 0) return -Errno.ENOMEM;
            long at = space.findFree(newLen);
            if (at < 0) return -Errno.ENOMEM;
            return moveTo(space, oldAddr, oldLen, newLen, at);
        }
    }

    private static long moveTo(AddressSpace space, long oldAddr, long oldLen, long newLen, long to) {
        Vma last = space.vmaAt(oldAddr + oldLen - 1);
        long keep = Math.min(oldLen, newLen);
        space.move(oldAddr, keep, to);
        if (oldLen > keep) space.unmap(oldAddr + keep, oldLen - keep);
        if (newLen > keep) {
            space.map(to + keep, newLen - keep, last.prot, last.shared, last.file,
                    last.fileOffset + (oldAddr + keep - last.start), last.fileKey, last.name);
        }
        return to;
    }

    long madvise(GuestThread t, long addr, long length, int advice) {
        if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        if (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE) {
            t.process.space.discard(addr, AddressSpace.pageUp(length));
        }
        return 0;
    }

    long mincore(GuestThread t, long addr, long length, long vec) {
        if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        AddressSpace space = t.process.space;
        int pages = (int) (AddressSpace.pageUp(length) / PAGE);
        if (!space.isCovered(addr, addr + pages * PAGE)) return -Errno.ENOMEM;
        byte[] out = new byte[pages];
        for (int i = 0; i < pages; i++) out[i] = (byte) (space.isResident(addr + i * PAGE) ? 1 : 0);
        t.memory().write(vec, out);
        return 0;
    }

    long msync(GuestThread t, long addr, long length, int flags) {
        if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        if (!t.process.space.isCovered(addr, addr + AddressSpace.pageUp(length))) return -Errno.ENOMEM;
        t.process.space.sync(addr, length);
        return 0;
    }

    long membarrier(GuestThread t, int cmd) {
        java.lang.invoke.VarHandle.fullFence();
        // MEMBARRIER_CMD_QUERY: report the commands that are no more than a full fence here.
        return cmd == 0 ? 1 | 8 | 16 : 0;
    }

    long flushIcache(GuestThread t) {
        t.process.space.invalidateAllCode();
        t.hart.flushTlb();
        return 0;
    }
}
