package dev.rivet.dev;

/**
 * SiFive test finisher as QEMU's hw/misc/sifive_test.c ({@code sifive,test0}), which Linux drives
 * through the {@code syscon-poweroff} and {@code syscon-reboot} nodes. A write to offset 0 whose low
 * 16 bits are a status code ends the machine:
 * <pre>
 *   0x5555               pass: power off
 *   0x7777               reset
 *   (code &lt;&lt; 16) | 0x3333  fail with exit code {@code code} (16 bits)
 * </pre>
 * Other writes are ignored, reads return 0. Stateless, hence thread-safe.
 */
public final class SysconFinisher implements Device {
    /** Size of the register window on the virt board. */
    public static final long SIZE = 0x1000;
    public static final int FAIL = 0x3333, PASS = 0x5555, RESET = 0x7777;

    private final PowerControl power;

    /** @param power what the finisher's commands reach */
    public SysconFinisher(PowerControl power) {
        this.power = power;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset != 0) {
            return;
        }
        if (size < 8) {
            value &= (1L << size * 8) - 1;
        }
        int status = (int) (value & 0xffff);
        int code = (int) (value >>> 16 & 0xffff);
        switch (status) {
            case FAIL -> power.fail(code);
            case PASS -> power.poweroff();
            case RESET -> power.reset();
            default -> { }
        }
    }
}
