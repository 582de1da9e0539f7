package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.mem.Page;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A mapping change waits for the harts that run guest code to drop their stale TLB entries, and only for them. */
class TlbShootdownTest {
    /** x6 = DATA: store x7 there, x7 += 1, forever (a jump each time round). */
    private static final int[] STORE_LOOP = {Asm.sd(7, 6, 0), Asm.addi(7, 7, 1), Asm.jal(0, -8)};

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aRunningHartStoresIntoTheNewPageOnceTheChangeReturns() throws Exception {
        Machine m = new Machine().code(STORE_LOOP).set(6, Machine.DATA).set(7, 1);
        // In slices, as the process VM runs a thread: translated code looks at attention only
        // between regions, and a loop's region runs until the slice is spent.
        CompletableFuture<Stop> running = CompletableFuture.supplyAsync(() -> {
            Stop stop;
            do stop = m.run(2_000_000); while (stop == Stop.BUDGET);
            return stop;
        });
        Page old = m.mem.page(Machine.DATA);
        while (old.read(0, 8) == 0) Thread.onSpinWait();   // the hart has a write entry for the page

        // madvise(MADV_DONTNEED), as the process VM's address space does it: a new page, a new epoch.
        m.mem.unmap(Machine.DATA, Page.SIZE);
        m.mem.map(Machine.DATA, Page.SIZE, TestMemory.RW);
        TlbShootdown.await(m.mem, List.of(m.h), null);

        assertThat(m.h.mayHoldEntriesBefore(m.mem.mappingEpoch())).isFalse();
        long oldValue = old.read(0, 8);
        Page fresh = m.mem.page(Machine.DATA);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fresh.read(0, 8) <= oldValue && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(fresh.read(0, 8)).as("stores after the change land in the new page").isGreaterThan(oldValue);
        assertThat(old.read(0, 8)).as("no store reached the dropped page after the change returned").isEqualTo(oldValue);

        m.h.requestStop();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(Stop.REQUESTED);
    }

    @Test
    void aHartOutsideGuestCodeIsNotWaitedFor() {
        Machine m = new Machine();
        m.mem.bumpMappingEpoch();
        TlbShootdown.await(m.mem, List.of(m.h), null);   // returns at once: it syncs when it next runs
        assertThat(m.h.mayHoldEntriesBefore(m.mem.mappingEpoch())).isFalse();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void twoHartsThatEachWaitForTheOtherBothGoOn() throws Exception {
        // Two harts each copying a page on write at once: each waits for the other, inside guest code.
        TestMemory mem = new TestMemory().map(Machine.CODE, 0x1000, TestMemory.RWX).map(Machine.DATA, 0x2000, TestMemory.RW);
        Hart a = new Machine(mem, 0).h, b = new Machine(mem, 1).h;
        a.inGuestCode = true;
        b.inGuestCode = true;
        mem.bumpMappingEpoch();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> first = threads.submit(() -> TlbShootdown.await(mem, List.of(a, b), a));
            Future<?> second = threads.submit(() -> TlbShootdown.await(mem, List.of(a, b), b));
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        }
        assertThat(a.mayHoldEntriesBefore(mem.mappingEpoch())).isFalse();
        assertThat(b.mayHoldEntriesBefore(mem.mappingEpoch())).isFalse();
        assertThat(a.inGuestCode && b.inGuestCode).as("both count as running guest code again").isTrue();
    }
}
