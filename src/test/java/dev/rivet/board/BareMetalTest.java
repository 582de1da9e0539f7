package dev.rivet.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.RivetRunner;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bare-metal programs of guest/baremetal (built by its build.sh into guest/build/baremetal)
 * booted with {@code rivet boot --bios none --kernel PROGRAM}: each checks privileged behaviour
 * (traps, delegation, interrupts, CSRs, paging, PMP, SMP) itself and ends the machine through the
 * test finisher (or HTIF) with status 0, or with the number of the check that failed.
 * guest/baremetal/programs.txt lists them with their hart count and expected status.
 *
 * <p>Where the privileged spec leaves a choice (or QEMU 7.2 deviates from it), the programs accept
 * both and print a "note:" line; the tests below pin Rivet's answer. When qemu-system-riscv64 is
 * installed, the same programs also run under QEMU's virt board, the reference.
 */
@Tag("guest")
class BareMetalTest {
    static final Path PROJECT = findProject();
    static final Path SOURCES = PROJECT.resolve("guest/baremetal");
    static final Path BUILD = PROJECT.resolve("guest/build/baremetal");
    static final long TIMEOUT_SECONDS = 120;

    /** One line of programs.txt. */
    record Program(String name, int harts, int status, boolean qemu) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Map<String, RivetRunner.Result> RUNS = new ConcurrentHashMap<>();

    @BeforeAll
    static void build() throws Exception {
        ProcessResult r = exec(List.of("bash", SOURCES.resolve("build.sh").toString()), 1800);
        if (r.exitCode != 0) {
            assumeTrue(onPath("riscv64-linux-gnu-gcc"),
                    "skipping bare-metal tests: no riscv64 cross compiler and build.sh could not install it:\n" + r.output);
            fail("guest/baremetal/build.sh failed:\n" + r.output);
        }
    }

    static List<Program> programs() throws IOException {
        List<Program> list = new ArrayList<>();
        for (String raw : Files.readAllLines(SOURCES.resolve("programs.txt"), StandardCharsets.UTF_8)) {
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')).strip() : raw.strip();
            if (line.isEmpty()) continue;
            String[] w = line.split("\\s+");
            list.add(new Program(w[0], Integer.parseInt(w[1]), Integer.parseInt(w[2]), w[3].equals("yes")));
        }
        return list;
    }

    static Stream<Program> qemuPrograms() throws IOException {
        return programs().stream().filter(Program::qemu);
    }

    /** Boots the program under Rivet (once per test run; later calls reuse the result). */
    static RivetRunner.Result rivet(String name) {
        return RUNS.computeIfAbsent(name, n -> {
            try {
                int harts = programs().stream().filter(p -> p.name.equals(n)).findFirst().orElseThrow().harts;
                return RivetRunner.run(TIMEOUT_SECONDS, "boot", "--bios", "none", "--smp", Integer.toString(harts),
                        "--kernel", BUILD.resolve(n).toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    static String describe(String name, RivetRunner.Result r) {
        return name + ": exit " + r.exitCode() + "\n--- stdout ---\n" + r.stdout() + "--- stderr ---\n" + r.stderr();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void passesUnderRivet(Program p) {
        RivetRunner.Result r = rivet(p.name);
        assertThat(r.exitCode()).as(describe(p.name, r)).isEqualTo(p.status);
        assertThat(r.stdout()).as(describe(p.name, r)).doesNotContain("unexpected trap");
        if (p.name.startsWith("htif-")) {
            // HTIF write (magic memory), then the HTIF exit: no finisher, no UART.
            assertThat(r.stdout()).as(describe(p.name, r)).isEqualTo("hello from htif\n");
        } else if (p.status == 0) {
            assertThat(r.stdout()).as(describe(p.name, r)).endsWith("PASS\n");
        } else {
            assertThat(r.stdout()).as(describe(p.name, r)).endsWith("FAIL " + p.status + "\n");
        }
    }

    @Test
    void programsTxtListsEveryBuiltProgram() throws IOException {
        Set<String> listed = programs().stream().map(Program::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> built;
        try (Stream<Path> files = Files.list(BUILD)) {
            built = files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(built).isEqualTo(listed);
    }

    // ---------------------------------------------------------------- Rivet's choices, pinned

    @Test
    void ebreakReportsItsAddressInMtval() {
        // machine.adoc: mtval is "either zero or the virtual address of the instruction"; Rivet writes the address.
        String out = rivet("traps").stdout();
        assertThat(out).containsPattern("note: ebreak mtval=0x000000008[0-9a-f]{7}\n");
    }

    @Test
    void mretToSupervisorClearsMprv() {
        // machine.adoc, "Memory Privilege in mstatus": MRET to a mode below M sets MPRV = 0 (QEMU 7.2 does not).
        assertThat(rivet("traps").stdout()).contains("note: MPRV after mret to S=0x0000000000000000\n");
    }

    @Test
    void mppIsWarlAndDropsTheReservedValue() {
        // mstatus.MPP holds only implemented modes: writing the reserved 2 reads back as U (QEMU 7.2 keeps 2).
        assertThat(rivet("csr").stdout()).contains("note: mstatus.MPP after writing 2=0x0000000000000000\n");
    }

    @Test
    void misalignedAmoRaisesStoreAmoAddressMisaligned() {
        // A misaligned AMO is a store/AMO address-misaligned exception, cause 6 (QEMU 7.2 reports 4).
        assertThat(rivet("misaligned").stdout()).contains("note: amo misaligned cause=0x0000000000000006\n");
    }

    @Test
    void trapStormsAndWildStoresReachTheGuestHandler() {
        // 100000 re-executed illegal instructions and wild loads/stores on hart 0, and hart 1 looping
        // through traps forever (mtvec aimed at its own faulting store) until hart 0 powers off.
        RivetRunner.Result r = rivet("storm");
        assertThat(r.exitCode()).as(describe("storm", r)).isZero();
        assertThat(r.stdout()).isEqualTo("PASS\n");
    }

    // ---------------------------------------------------------------- the reference

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuPrograms")
    void sameExitStatusUnderQemu(Program p) throws Exception {
        assumeTrue(onPath("qemu-system-riscv64"), "qemu-system-riscv64 is not installed");
        ProcessResult r = exec(List.of("qemu-system-riscv64", "-machine", "virt", "-bios", "none", "-nographic",
                "-smp", Integer.toString(p.harts), "-kernel", BUILD.resolve(p.name).toString()), TIMEOUT_SECONDS);
        assertThat(r.exitCode).as(p.name + " under QEMU:\n" + r.output).isEqualTo(p.status);
    }

    // ---------------------------------------------------------------- helpers

    record ProcessResult(int exitCode, String output) {}

    static ProcessResult exec(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("baremetal", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new ProcessResult(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(out));
            }
            return new ProcessResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static Path findProject() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("guest/baremetal"))) return p;
        }
        return Path.of("").toAbsolutePath();
    }
}
