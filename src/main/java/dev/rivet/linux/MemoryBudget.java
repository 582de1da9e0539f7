package dev.rivet.linux;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the guest pages that hold host memory across all processes of one sandbox (--max-memory). */
public final class MemoryBudget {
    private final AtomicLong pages = new AtomicLong();
    private final long maxPages;
    private final long maxBytes;

    /** @param maxBytes the limit, or 0 for none */
    public MemoryBudget(long maxBytes) {
        this.maxBytes = maxBytes;
        this.maxPages = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes >>> 12;
    }

    void take() {
        if (pages.incrementAndGet() > maxPages) {
            pages.decrementAndGet();
            throw new LimitExceeded("guest exceeded its memory limit of " + (maxBytes >> 20) + " MiB (--max-memory)",
                    LimitExceeded.STATUS_MEMORY);
        }
    }

    void give() {
        pages.decrementAndGet();
    }

    public long residentBytes() {
        return pages.get() << 12;
    }
}
