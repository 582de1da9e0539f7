package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.RivetRunner;
import dev.rivet.RivetRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Boots the reference guest (OpenSBI, Linux 6.1, busybox initramfs from ../shared/guest) under
 * {@code rivet boot}, drives its shell through the serial console and checks what it answers.
 */
class LinuxBootTest {
    static final Path GUEST = Path.of("../shared/guest").toAbsolutePath().normalize();

    static final String SCRIPT = String.join("\n",
            "echo NPROC=$(nproc)",
            "grep -c '^processor' /proc/cpuinfo | sed 's/^/CPUINFO=/'",
            "grep -m1 '^isa' /proc/cpuinfo",
            "grep -c 'riscv-timer' /proc/interrupts | sed 's/^/TIMER_LINES=/'",
            "seq 1 100 | grep 7 | wc -l | sed 's/^/PIPE=/'",
            "a=$(date +%s); sleep 2; b=$(date +%s); echo DATE_MOVED=$((b - a))",
            "echo RTC=$(ls /sys/class/rtc)",
            "poweroff -f",
            "");

    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 4})
    void bootsToAShellAndPowersOff(int harts) throws Exception {
        assumeTrue(Files.isRegularFile(GUEST.resolve("Image")), "the reference guest is not beside the project");
        Result r = RivetRunner.run(null, SCRIPT.getBytes(StandardCharsets.UTF_8), 600,
                "boot", "--bios", GUEST.resolve("fw_dynamic.bin").toString(),
                "--kernel", GUEST.resolve("Image").toString(),
                "--initrd", GUEST.resolve("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet", "--smp", Integer.toString(harts), "--stats");
        String out = r.stdout();
        assertThat(r.exitCode()).as(out + r.stderr()).isZero();
        assertThat(out).contains("OpenSBI v1.1").contains("guest: booted 6.1");
        assertThat(value(out, "NPROC")).isEqualTo(Integer.toString(harts));
        assertThat(value(out, "CPUINFO")).isEqualTo(Integer.toString(harts));
        assertThat(out).containsPattern("isa\\s*: rv64imafdc");
        assertThat(value(out, "TIMER_LINES")).isEqualTo("1");
        assertThat(value(out, "PIPE")).isEqualTo("19");
        // At least the time slept; the upper bound only catches a clock running many times too fast
        // (a loaded host may wake the guest late, so it is loose).
        assertThat(Integer.parseInt(value(out, "DATE_MOVED"))).isBetween(2, 10);
        assertThat(value(out, "RTC")).isEqualTo("rtc0");
        assertThat(out).contains("reboot: Power down");
        // Every region the translator made was loaded: one the JVM rejected would leave its code to
        // the interpreter, which no answer above would show.
        assertThat(out + r.stderr()).containsPattern("jit: [1-9][0-9]* regions translated \\([^)]*\\), 0 failed");
    }

    /** The value printed as NAME=VALUE on a line of its own (not the echoed command line). */
    private static String value(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=(\\S+)\\s*$").matcher(out);
        assertThat(m.find()).as(name + " in:\n" + out).isTrue();
        return m.group(1);
    }
}
