package dev.rivet.board;

import dev.rivet.dev.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The board's physical address map for devices: a sorted range map from base address to
 * {@link Device}, the only place that knows where devices live (architecture notes, principle 1).
 * Registration rejects overlapping windows; lookups never throw. Map every device before the
 * machine runs: lookups are not synchronized against registration.
 */
public final class Bus {
    /** One device placed at {@code base}, answering {@code [base, base + device.size())}. */
    public record Mapping(long base, Device device) {
        /** First address after the window. */
        public long end() {
            return base + device.size();
        }

        /** Whether the {@code size}-byte access at {@code pa} lies wholly inside the window. */
        public boolean contains(long pa, int size) {
            return pa >= base && pa - base <= device.size() - size;
        }

        /** Offset of {@code pa} inside the window. */
        public long offset(long pa) {
            return pa - base;
        }
    }

    private final TreeMap<Long, Mapping> map = new TreeMap<>();
    /** The last mapping found: MMIO accesses come in runs to the same device. */
    private volatile Mapping last;

    /**
     * Places {@code device} at {@code base}.
     *
     * @throws IllegalArgumentException if the window is empty, wraps around, or overlaps a device
     *                                  already mapped (the message names both)
     */
    public synchronized void map(long base, Device device) {
        long size = device.size();
        if (base < 0 || size <= 0 || base + size < base) {
            throw new IllegalArgumentException("cannot map %s at 0x%x with size 0x%x"
                    .formatted(device.name(), base, size));
        }
        Map.Entry<Long, Mapping> below = map.floorEntry(base);
        Mapping clash = below != null && below.getValue().end() > base ? below.getValue() : null;
        if (clash == null) {
            Map.Entry<Long, Mapping> above = map.ceilingEntry(base);
            clash = above != null && above.getKey() < base + size ? above.getValue() : null;
        }
        if (clash != null) {
            throw new IllegalArgumentException("%s at [0x%x, 0x%x) overlaps %s at [0x%x, 0x%x)".formatted(
                    device.name(), base, base + size, clash.device().name(), clash.base(), clash.end()));
        }
        map.put(base, new Mapping(base, device));
    }

    /** The mapping whose window holds {@code pa}, or null if no device answers there. */
    public Mapping find(long pa) {
        Mapping m = last;
        if (m != null && m.contains(pa, 1)) {
            return m;
        }
        Map.Entry<Long, Mapping> e = map.floorEntry(pa);
        if (e == null || !e.getValue().contains(pa, 1)) {
            return null;
        }
        last = e.getValue();
        return e.getValue();
    }

    /** Reads {@code size} bytes at {@code pa}; empty if no device covers the whole access (an access fault). */
    public OptionalLong read(long pa, int size) {
        Mapping m = find(pa);
        if (m == null || !m.contains(pa, size)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(m.device().read(pa - m.base(), size));
    }

    /** Writes {@code size} bytes at {@code pa}; false if no device covers the whole access (an access fault). */
    public boolean write(long pa, int size, long value) {
        Mapping m = find(pa);
        if (m == null || !m.contains(pa, size)) {
            return false;
        }
        m.device().write(pa - m.base(), size, value);
        return true;
    }

    /** Every mapping in address order. */
    public synchronized List<Mapping> mappings() {
        return new ArrayList<>(map.values());
    }
}
