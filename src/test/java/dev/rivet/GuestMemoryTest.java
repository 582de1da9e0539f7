package dev.rivet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.GuestExec.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guest memory lives outside the Java heap: a guest may touch more memory than the heap holds,
 * bounded by its own limit and the JVM's direct-memory limit.
 */
@Tag("guest")
class GuestMemoryTest {
    @Test
    void aGuestTouchesMoreMemoryThanTheJavaHeapHolds() {
        Result build = GuestExec.run(List.of("bash", GuestProgramsTest.GUEST.resolve("build.sh").toString()),
                GuestProgramsTest.GUEST, Map.of(), Duration.ofMinutes(30));
        assumeTrue(build.exitCode() == 0 || GuestExec.onPath("riscv64-linux-gnu-gcc").isPresent(),
                "skipped: no riscv64 cross compiler for the guest programs");
        assertThat(build.exitCode()).as("guest/build.sh:\n%s", GuestExec.tail(build.stderr(), 20)).isZero();
        Path malloc = GuestProgramsTest.BUILD.resolve("static").resolve("malloc");
        assertThat(malloc).isRegularFile();

        // malloc touches a 64 MiB block and grows another to 64 MiB: twice the heap given here.
        List<String> cmd = new ArrayList<>(RivetRunner.java("-Xmx32m", "-XX:MaxDirectMemorySize=512m", "-XX:+UseSerialGC"));
        cmd.addAll(List.of("dev.rivet.cli.Main", "run", "--max-memory", "256M", malloc.toString()));
        Path work = GuestExec.tempDir("guest-memory");
        try {
            Result r = GuestExec.run(cmd, work, Map.of(), Duration.ofMinutes(3));
            assertThat(r.stderr()).doesNotContain("OutOfMemoryError");
            assertThat(r.exitCode()).as("stderr:\n%s", r.stderr()).isZero();
            assertThat(r.stdout()).contains("64 MiB block: page sum 2088960").contains("ok malloc");
        } finally {
            GuestExec.deleteTree(work);
        }
    }
}
