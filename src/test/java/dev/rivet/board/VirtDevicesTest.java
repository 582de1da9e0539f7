package dev.rivet.board;

import static dev.rivet.board.VirtMap.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Clock;
import dev.rivet.dev.Clint;
import dev.rivet.dev.GoldfishRtc;
import dev.rivet.dev.HartInterrupts;
import dev.rivet.dev.Plic;
import dev.rivet.dev.PowerControl;
import dev.rivet.dev.SysconFinisher;
import dev.rivet.dev.Uart16550;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The virt devices placed on one bus at QEMU's addresses, driven the way Linux's drivers do. */
class VirtDevicesTest {
    final int[] mip = new int[2];
    final HartInterrupts harts = (hart, bits, level) -> {
        synchronized (mip) {
            mip[hart] = level ? mip[hart] | bits : mip[hart] & ~bits;
        }
    };
    final List<String> power = new ArrayList<>();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final Bus bus = new Bus();
    final Plic plic = new Plic(2, harts);
    final Uart16550 uart = new Uart16550(plic.line(UART0_IRQ), console);

    VirtDevicesTest() {
        bus.map(PLIC_BASE, plic);
        bus.map(UART0_BASE, uart);
        bus.map(CLINT_BASE, new Clint(2, Clock.host(), harts));
        bus.map(RTC_BASE, new GoldfishRtc(plic.line(RTC_IRQ)));
        bus.map(TEST_BASE, new SysconFinisher(new PowerControl() {
            @Override
            public void poweroff() {
                power.add("off");
            }

            @Override
            public void reset() {
                power.add("reset");
            }

            @Override
            public void fail(int code) {
                power.add("fail " + code);
            }
        }));
    }

    long r(long pa, int size) {
        return bus.read(pa, size).orElseThrow();
    }

    void w(long pa, int size, long v) {
        assertThat(bus.write(pa, size, v)).isTrue();
    }

    @Test
    void windowsMatchTheDeviceTreeAndDoNotOverlap() {
        assertThat(bus.mappings()).extracting(m -> m.base() + "+" + m.device().size()).containsExactly(
                TEST_BASE + "+" + TEST_SIZE, RTC_BASE + "+" + RTC_SIZE, CLINT_BASE + "+" + CLINT_SIZE,
                PLIC_BASE + "+" + PLIC_SIZE, UART0_BASE + "+" + UART0_SIZE);
    }

    @Test
    void aKeyPressReachesTheSupervisorThroughThePlic() {
        int ctx = 1; // hart 0, S-mode
        w(PLIC_BASE + 4L * UART0_IRQ, 4, 1);
        w(PLIC_BASE + Plic.ENABLE + 0x80L * ctx, 4, 1 << UART0_IRQ);
        w(PLIC_BASE + Plic.CONTEXT + 0x1000L * ctx, 4, 0);
        w(UART0_BASE + 2, 1, 0x07); // FCR: FIFOs on and cleared, trigger at 1 byte
        w(UART0_BASE + 1, 1, 0x01); // IER: received data

        uart.input('k');
        assertThat(mip[0] & HartInterrupts.SEIP).isNotZero();
        long claim = PLIC_BASE + Plic.CONTEXT + 0x1000L * ctx + 4;
        assertThat(r(claim, 4)).isEqualTo(UART0_IRQ);
        assertThat(mip[0] & HartInterrupts.SEIP).isZero();
        assertThat(r(UART0_BASE + 2, 1) & 0x0f).isIn(0x04L, 0x0cL); // data or timeout
        assertThat(r(UART0_BASE, 1)).isEqualTo('k');
        w(claim, 4, UART0_IRQ);
        assertThat(mip[0] & HartInterrupts.SEIP).isZero();

        // A byte that arrives while the interrupt is being served pends again at completion.
        assertThat(r(claim, 4)).isZero();
        uart.input('x');
        assertThat(mip[0] & HartInterrupts.SEIP).isNotZero();
        assertThat(r(claim, 4)).isEqualTo(UART0_IRQ);
        uart.input('y');
        w(claim, 4, UART0_IRQ);
        assertThat(mip[0] & HartInterrupts.SEIP).isNotZero();
    }

    @Test
    void consoleOutputAndPowerOff() {
        for (char c : "ok\n".toCharArray()) {
            w(UART0_BASE, 1, c);
        }
        assertThat(console.toString()).isEqualTo("ok\n");
        w(TEST_BASE, 4, 0x5555);
        assertThat(power).containsExactly("off");
    }
}
