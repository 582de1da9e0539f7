package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rivet.dev.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The physical address map: overlap rejection, lookups, unmapped accesses. */
class BusTest {
    /** A device that records accesses and answers its offset. */
    static final class Probe implements Device {
        final String name;
        final long size;
        final List<String> log = new ArrayList<>();

        Probe(String name, long size) {
            this.name = name;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long read(long offset, int size) {
            log.add("r%x/%d".formatted(offset, size));
            return offset;
        }

        @Override
        public void write(long offset, int size, long value) {
            log.add("w%x/%d=%x".formatted(offset, size, value));
        }

        @Override
        public String name() {
            return name;
        }
    }

    final Bus bus = new Bus();
    final Probe uart = new Probe("uart", 0x100);
    final Probe rtc = new Probe("rtc", 0x1000);

    @Test
    void overlappingWindowsAreRejectedNamingBothDevices() {
        bus.map(0x1000, rtc);
        assertThatThrownBy(() -> bus.map(0x1f00, uart))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uart").hasMessageContaining("rtc")
                .hasMessageContaining("0x1f00").hasMessageContaining("0x1000");
        assertThatThrownBy(() -> bus.map(0x0f80, uart)).hasMessageContaining("rtc");
        assertThatThrownBy(() -> bus.map(0x0, new Probe("big", 0x10000))).hasMessageContaining("rtc");
        assertThatThrownBy(() -> bus.map(0x1000, uart)).hasMessageContaining("rtc");
        assertThat(bus.mappings()).hasSize(1);
    }

    @Test
    void adjacentWindowsAreFine() {
        bus.map(0x1000, rtc);
        bus.map(0x2000, uart);
        bus.map(0x0f00, new Probe("below", 0x100));
        assertThat(bus.mappings()).extracting(Bus.Mapping::base).containsExactly(0x0f00L, 0x1000L, 0x2000L);
    }

    @Test
    void emptyOrWrappingWindowsAreRejected() {
        assertThatThrownBy(() -> bus.map(0x1000, new Probe("none", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.map(Long.MAX_VALUE - 4, uart)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findGivesTheDeviceAndTheOffset() {
        bus.map(0x10000000L, uart);
        bus.map(0x101000L, rtc);
        Bus.Mapping m = bus.find(0x10000005L);
        assertThat(m.device()).isSameAs(uart);
        assertThat(m.offset(0x10000005L)).isEqualTo(5);
        assertThat(bus.find(0x101fffL).device()).isSameAs(rtc);
        assertThat(bus.find(0x10000100L)).isNull();
        assertThat(bus.find(0x100fffL)).isNull();
        assertThat(bus.find(0)).isNull();
    }

    @Test
    void readAndWriteReachTheDeviceAtItsOffset() {
        bus.map(0x10000000L, uart);
        assertThat(bus.read(0x10000005L, 1)).hasValue(5);
        assertThat(bus.write(0x10000007L, 1, 0x41)).isTrue();
        assertThat(uart.log).containsExactly("r5/1", "w7/1=41");
    }

    @Test
    void unmappedAndStraddlingAccessesAreReportedNotThrown() {
        bus.map(0x10000000L, uart);
        assertThat(bus.read(0x20000000L, 4)).isEmpty();
        assertThat(bus.write(0x20000000L, 4, 1)).isFalse();
        assertThat(bus.read(0x100000fcL, 8)).isEmpty(); // runs past the end of the window
        assertThat(bus.write(0x100000feL, 4, 1)).isFalse();
        assertThat(bus.read(0x100000f8L, 8)).hasValue(0xf8);
        assertThat(uart.log).containsExactly("rf8/8");
    }
}
