package dev.rivet.linux;

import dev.rivet.mem.Page;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One page per host-file page that some process maps MAP_SHARED, as Linux's page cache: every
 * shared mapping of that file page holds the same {@link Page}, and read/write system calls on the
 * file see and update it, so mappings and file I/O stay coherent. Keyed by host file identity.
 * A page leaves the cache when the last mapping of it goes (its bytes were written back then).
 */
final class FilePages {
    static final FilePages INSTANCE = new FilePages();

    private final Map<Object, Map<Long, Page>> files = new HashMap<>();

    /** The cached page of {@code file} at page {@code index}, loaded if absent, held once more for the caller. */
    synchronized Page acquire(Object file, long index, Supplier<Page> load) {
        Map<Long, Page> pages = files.computeIfAbsent(file, k -> new HashMap<>());
        Page p = pages.get(index);
        if (p == null) {
            p = load.get();
            pages.put(index, p);
        }
        return p.share();
    }

    /** A mapping dropped its hold on the page. */
    synchronized void release(Object file, long index, Page p) {
        p.release();
        if (p.isShared()) return;
        Map<Long, Page> pages = files.get(file);
        if (pages != null && pages.get(index) == p) {
            pages.remove(index);
            if (pages.isEmpty()) files.remove(file);
        }
    }

    /** After the file's bytes [pos, pos+len) were written: the same bytes go into cached pages. */
    synchronized void written(Object file, long pos, byte[] buf, int off, int len) {
        Map<Long, Page> pages = files.get(file);
        if (pages == null) return;
        forEachPage(pages, pos, len, (page, inPage, at, n) -> {
            page.copyIn(buf, off + at, inPage, n);
            page.invalidateCode();
        });
    }

    /** After reading the file's bytes [pos, pos+len) from the host: cached pages are newer, copy them over. */
    synchronized void overlay(Object file, long pos, byte[] buf, int off, int len) {
        Map<Long, Page> pages = files.get(file);
        if (pages == null) return;
        forEachPage(pages, pos, len, (page, inPage, at, n) ->
                page.copyOut(inPage, buf, off + at, n));
    }

    private interface Chunk {
        void apply(Page page, int inPage, int at, int n);
    }

    private static void forEachPage(Map<Long, Page> pages, long pos, int len, Chunk chunk) {
        int at = 0;
        while (at < len) {
            long a = pos + at;
            int inPage = (int) (a & Page.OFFSET_MASK);
            int n = Math.min(len - at, Page.SIZE - inPage);
            Page p = pages.get(a >>> Page.SHIFT);
            if (p != null) chunk.apply(p, inPage, at, n);
            at += n;
        }
    }
}
