package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.cpu.Access;
import dev.rivet.cpu.Clock;
import dev.rivet.cpu.Hart;
import dev.rivet.cpu.MachineState;
import dev.rivet.cpu.MemoryPort;
import dev.rivet.mem.Page;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * How long a hart in WFI may sleep ({@link VirtMachine#nanosUntilNextEvent}): with the Sstc timer
 * enabled, stimecmp is compared with time as an unsigned number, so all ones ("never", what Linux
 * writes to stop the timer) or any far value lets the hart sleep the longest nap instead of
 * spinning, and a due stimecmp wakes it at once.
 */
class IdleSleepTest {
    private static final long LONGEST_NAP = 100_000_000L;

    private static final MemoryPort NO_MEMORY = new MemoryPort() {
        @Override
        public Page translate(Hart hart, long vaddr, Access access) {
            throw hart.raise(access.accessFault, vaddr);
        }

        @Override
        public long mappingEpoch() {
            return 0;
        }

        @Override
        public long bumpMappingEpoch() {
            return 0;
        }
    };

    private final VirtMachine machine = new VirtMachine(new VirtMachine.Config(1, 16L << 20, null, null, null, ""),
            OutputStream.nullOutputStream(), new PrintStream(OutputStream.nullOutputStream()));

    private Hart sstcHart(long stimecmp) {
        Hart h = new Hart(0, NO_MEMORY, Clock.host(), false);
        h.machine.menvcfg = MachineState.MENVCFG_STCE;
        h.machine.mie = MachineState.STIP;
        h.machine.stimecmp = stimecmp;
        return h;
    }

    @Test
    void stimecmpAllOnesMeansNever() {
        assertThat(machine.nanosUntilNextEvent(sstcHart(-1))).isEqualTo(LONGEST_NAP);
    }

    @Test
    void farStimecmpDoesNotOverflow() {
        assertThat(machine.nanosUntilNextEvent(sstcHart(Long.MAX_VALUE))).isEqualTo(LONGEST_NAP);
        assertThat(machine.nanosUntilNextEvent(sstcHart(Long.MIN_VALUE))).isEqualTo(LONGEST_NAP);
    }

    @Test
    void dueStimecmpWakesAtOnce() {
        assertThat(machine.nanosUntilNextEvent(sstcHart(0))).isZero();
    }

    @Test
    void stimecmpIsIgnoredWithoutStce() {
        Hart h = sstcHart(0);
        h.machine.menvcfg = 0;
        assertThat(machine.nanosUntilNextEvent(h)).isEqualTo(LONGEST_NAP);
    }
}
