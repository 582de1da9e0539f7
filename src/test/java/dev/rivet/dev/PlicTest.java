package dev.rivet.dev;

import static dev.rivet.dev.HartInterrupts.MEIP;
import static dev.rivet.dev.HartInterrupts.SEIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** PLIC (RISC-V PLIC specification, QEMU hw/intc/sifive_plic.c with the virt board's parameters). */
class PlicTest {
    final FakeHarts harts = new FakeHarts(2);
    final Plic plic = new Plic(2, harts);

    static long priority(int source) {
        return Plic.PRIORITY + 4L * source;
    }

    static long enable(int ctx) {
        return Plic.ENABLE + (long) Plic.ENABLE_STRIDE * ctx;
    }

    static long threshold(int ctx) {
        return Plic.CONTEXT + (long) Plic.CONTEXT_STRIDE * ctx;
    }

    static long claim(int ctx) {
        return threshold(ctx) + 4;
    }

    void enableSources(int ctx, int... sources) {
        for (int s : sources) {
            long word = enable(ctx) + 4L * (s / 32);
            plic.write(word, 4, plic.read(word, 4) | 1L << (s % 32));
        }
    }

    @Test
    void priorityIsThreeBitsWarlAndSourceZeroHasNone() {
        plic.write(priority(5), 4, 0xff);
        assertThat(plic.read(priority(5), 4)).isEqualTo(7);
        plic.write(priority(5), 4, 3);
        assertThat(plic.read(priority(5), 4)).isEqualTo(3);
        plic.write(priority(0), 4, 5);
        assertThat(plic.read(priority(0), 4)).isZero();
        plic.write(threshold(1), 4, 0x1f);
        assertThat(plic.read(threshold(1), 4)).isEqualTo(7);
    }

    @Test
    void pendingBitsFollowTheLinesAndIgnoreWrites() {
        plic.line(33).set(true);
        assertThat(plic.read(Plic.PENDING + 4, 4)).isEqualTo(1L << 1);
        plic.write(Plic.PENDING + 4, 4, 0);
        assertThat(plic.isPending(33)).isTrue();
        plic.line(33).set(false);
        assertThat(plic.read(Plic.PENDING + 4, 4)).isZero();
    }

    @Test
    void enableBitOfSourceZeroIsHardwiredToZero() {
        plic.write(enable(0), 4, 0xffff_ffffL);
        assertThat(plic.read(enable(0), 4)).isEqualTo(0xffff_fffeL);
        plic.write(enable(3) + 8, 4, 0x8000_0000L); // source 95, context 3
        assertThat(plic.read(enable(3) + 8, 4)).isEqualTo(0x8000_0000L);
    }

    @Test
    void claimReturnsHighestPriorityFirstAndTiesGoToTheLowestId() {
        plic.write(priority(1), 4, 2);
        plic.write(priority(5), 4, 7);
        plic.write(priority(10), 4, 7);
        plic.write(priority(40), 4, 4);
        enableSources(1, 1, 5, 10, 40);
        for (int s : new int[] {40, 10, 1, 5}) {
            plic.line(s).set(true);
        }
        assertThat(harts.has(0, SEIP)).isTrue();
        assertThat(harts.has(0, MEIP)).isFalse();
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(plic.read(claim(1), 4));
        }
        assertThat(order).containsExactly(5L, 10L, 40L, 1L, 0L);
        assertThat(plic.isPending(5)).isFalse();
        assertThat(harts.has(0, SEIP)).isFalse();
    }

    @Test
    void thresholdMasksPrioritiesNotAboveIt() {
        plic.write(priority(7), 4, 3);
        enableSources(0, 7);
        plic.write(threshold(0), 4, 3);
        plic.line(7).set(true);
        assertThat(harts.has(0, MEIP)).isFalse();
        assertThat(plic.read(claim(0), 4)).isZero();
        assertThat(plic.isPending(7)).isTrue();

        plic.write(threshold(0), 4, 2);
        assertThat(harts.has(0, MEIP)).isTrue();
        assertThat(plic.read(claim(0), 4)).isEqualTo(7);
    }

    @Test
    void priorityZeroNeverInterrupts() {
        enableSources(0, 9);
        plic.line(9).set(true);
        assertThat(harts.has(0, MEIP)).isFalse();
        assertThat(plic.read(claim(0), 4)).isZero();
    }

    @Test
    void contextsMapToMachineAndSupervisorModeOfEachHart() {
        plic.write(priority(2), 4, 1);
        enableSources(3, 2); // hart 1, S-mode
        plic.line(2).set(true);
        assertThat(harts.calls).containsExactly(new FakeHarts.Call(1, SEIP, true));
        enableSources(2, 2); // hart 1, M-mode
        assertThat(harts.has(1, MEIP)).isTrue();
        assertThat(harts.has(0, MEIP | SEIP)).isFalse();
    }

    @Test
    void aClaimedSourceStaysOutUntilCompletedAndALineStillHighPendsAgain() {
        plic.write(priority(10), 4, 1);
        enableSources(1, 10);
        plic.line(10).set(true);
        assertThat(plic.read(claim(1), 4)).isEqualTo(10);
        // In service: the line is still high but the gateway forwards no new request.
        plic.line(10).set(true);
        assertThat(plic.isPending(10)).isFalse();
        assertThat(harts.has(0, SEIP)).isFalse();
        assertThat(plic.read(claim(1), 4)).isZero();

        plic.write(claim(1), 4, 10); // complete
        assertThat(plic.isPending(10)).isTrue();
        assertThat(harts.has(0, SEIP)).isTrue();
        assertThat(plic.read(claim(1), 4)).isEqualTo(10);

        plic.line(10).set(false);
        plic.write(claim(1), 4, 10);
        assertThat(plic.isPending(10)).isFalse();
        assertThat(harts.has(0, SEIP)).isFalse();
    }

    @Test
    void completionOfASourceNotEnabledForTheContextIsIgnored() {
        plic.write(priority(4), 4, 1);
        enableSources(1, 4);
        plic.line(4).set(true);
        assertThat(plic.read(claim(1), 4)).isEqualTo(4);
        plic.write(claim(0), 4, 4); // context 0 has source 4 disabled
        assertThat(plic.isPending(4)).isFalse();
        plic.write(claim(1), 4, 4);
        assertThat(plic.isPending(4)).isTrue();
    }

    @Test
    void aRequestWithdrawnBeforeTheClaimIsNotClaimed() {
        plic.write(priority(6), 4, 1);
        enableSources(0, 6);
        plic.line(6).set(true);
        assertThat(harts.has(0, MEIP)).isTrue();
        plic.line(6).set(false);
        assertThat(harts.has(0, MEIP)).isFalse();
        assertThat(plic.read(claim(0), 4)).isZero();
    }

    @Test
    void disablingASourceLowersTheHartsInterrupt() {
        plic.write(priority(3), 4, 1);
        enableSources(0, 3);
        plic.line(3).set(true);
        assertThat(harts.has(0, MEIP)).isTrue();
        plic.write(enable(0), 4, 0);
        assertThat(harts.has(0, MEIP)).isFalse();
    }

    @Test
    void registersOfContextsThatDoNotExistReadZero() {
        assertThat(plic.read(threshold(4), 4)).isZero();
        plic.write(enable(4), 4, 0xffff);
        assertThat(plic.read(enable(4), 4)).isZero();
    }

    @Test
    void linesMayBeRaisedFromManyThreadsAtOnce() throws Exception {
        int n = 32;
        for (int s = 1; s <= n; s++) {
            plic.write(priority(s), 4, 1 + s % 7);
        }
        plic.write(enable(1), 4, 0xffff_fffeL);
        plic.write(enable(1) + 4, 4, 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 1; s <= n; s++) {
            int source = s;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    plic.line(source).set(i % 2 == 0);
                }
                plic.line(source).set(true);
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        List<Long> claimed = new ArrayList<>();
        for (long id; (id = plic.read(claim(1), 4)) != 0; ) {
            claimed.add(id);
        }
        assertThat(claimed).hasSize(n).doesNotHaveDuplicates();
        for (int i = 1; i < n; i++) {
            assertThat(plic.read(priority(claimed.get(i - 1).intValue()), 4))
                    .isGreaterThanOrEqualTo(plic.read(priority(claimed.get(i).intValue()), 4));
        }
        assertThat(harts.has(0, SEIP)).isFalse();
    }

    @Test
    void linesExistOnlyForSourcesOneTo95() {
        assertThatThrownBy(() -> plic.line(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plic.line(96)).isInstanceOf(IllegalArgumentException.class);
        assertThat(plic.line(95)).isNotNull();
    }
}
