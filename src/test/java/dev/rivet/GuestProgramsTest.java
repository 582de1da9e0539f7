package dev.rivet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.GuestExec.Emulator;
import dev.rivet.GuestExec.Qemu;
import dev.rivet.GuestExec.Result;
import dev.rivet.GuestExec.Setup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * End-to-end tests: the project's own riscv64 guest programs (guest/src, guest/go, built by
 * guest/build.sh into guest/build/VARIANT/NAME) run under {@code ./rivet run}, and their exit
 * status and stdout must equal a live qemu-riscv64 run of the same binary (or, without qemu, or
 * for programs qemu-user cannot run, guest/expected/NAME.out). guest/programs.txt says how to
 * run each program. {@code -Drivet.guest.reference=expected} compares with the expected files even
 * when qemu is installed; {@code -Drivet.guest.emulator=qemu} checks the harness itself (see
 * {@link GuestExec}).
 *
 * <p>Variants: {@code static}, {@code static-pie}, {@code go} run on the host's file system;
 * {@code dynamic} runs with {@code --root /usr/riscv64-linux-gnu} (the cross sysroot, which has
 * the dynamic loader and libc) and the scratch directory mounted at {@value #GUEST_WORK}.
 */
@Tag("guest")
class GuestProgramsTest {
    static final Path GUEST = GuestExec.PROJECT.resolve("guest");
    static final Path BUILD = GUEST.resolve("build");
    static final String GUEST_WORK = "/work";
    static final List<String> VARIANTS = List.of("static", "static-pie", "dynamic", "go");
    /** Environment added for every guest run; args prints RIVET_GUEST_VAR. */
    static final Map<String, String> ENV = Map.of("RIVET_GUEST_VAR", "hello-guest", "LC_ALL", "C");

    /** One line of guest/programs.txt. */
    record Program(String name, int status, boolean qemuReference, List<String> args) {}

    static Result buildResult;

    @BeforeAll
    static void build() {
        buildResult = GuestExec.run(List.of("bash", GUEST.resolve("build.sh").toString()), GUEST, Map.of(),
                Duration.ofMinutes(30));
        if (buildResult.exitCode() != 0) {
            assumeTrue(GuestExec.onPath("riscv64-linux-gnu-gcc").isPresent(),
                    "skipping guest program tests: the riscv64 cross compiler (riscv64-linux-gnu-gcc) is "
                            + "not installed and guest/build.sh could not install it:\n"
                            + GuestExec.tail(buildResult.stderr(), 10));
        }
    }

    static List<Program> manifest() throws IOException {
        List<Program> programs = new ArrayList<>();
        for (String raw : Files.readAllLines(GUEST.resolve("programs.txt"), StandardCharsets.UTF_8)) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) continue;
            List<String> w = GuestExec.words(line);
            programs.add(new Program(w.get(0), Integer.parseInt(w.get(1)), w.get(2).equals("qemu"),
                    List.copyOf(w.subList(3, w.size()))));
        }
        return programs;
    }

    @TestFactory
    Stream<DynamicNode> guestPrograms() throws IOException {
        List<Emulator> emulators = GuestExec.allUnderTest();
        List<Program> programs = manifest();
        List<DynamicNode> nodes = new ArrayList<>();

        nodes.add(DynamicTest.dynamicTest("guest/build.sh succeeds", () -> assertThat(buildResult.exitCode())
                .as("guest/build.sh failed:\n%s", GuestExec.tail(buildResult.stderr(), 30)).isZero()));

        Set<String> listed = new TreeSet<>();
        for (Program p : programs) listed.add(p.name());
        nodes.add(DynamicTest.dynamicTest("every built program is listed in programs.txt", () -> {
            Set<String> built = new TreeSet<>();
            for (String v : VARIANTS) {
                Path dir = BUILD.resolve(v);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(Files::isRegularFile).forEach(f -> built.add(f.getFileName().toString()));
                }
            }
            assertThat(listed).containsAll(built);
        }));

        for (Program p : programs) {
            List<DynamicNode> variants = new ArrayList<>();
            for (String v : VARIANTS) {
                Path binary = BUILD.resolve(v).resolve(p.name());
                if (!Files.isRegularFile(binary)) continue;
                for (Emulator emulator : emulators) {
                    variants.add(DynamicTest.dynamicTest(v + "/" + p.name() + " (" + emulator.name() + ")",
                            () -> check(emulator, p, v, binary)));
                }
            }
            if (variants.isEmpty()) {
                variants.add(DynamicTest.dynamicTest(p.name() + " was built", () -> assertThat(variants)
                        .as("%s: no binary in guest/build/*/ (see guest/build.sh output)", p.name()).isNotEmpty()));
            }
            nodes.add(DynamicContainer.dynamicContainer(p.name(), variants));
        }
        return nodes.stream();
    }

    private static void check(Emulator emulator, Program p, String variant, Path binary) throws IOException {
        assumeTrue(p.qemuReference() || !(emulator instanceof Qemu),
                p.name() + " cannot run under qemu-user (harness self-check mode)");
        GuestExec.warmUp(emulator);
        Path root = variant.equals("dynamic") ? GuestExec.SYSROOT : null;
        Path work = GuestExec.tempDir("rivet-guest-" + p.name() + "-");
        Path refWork = GuestExec.tempDir("rivet-guest-ref-" + p.name() + "-");
        try {
            Result actual = runIn(emulator, new Setup(root, work, GUEST_WORK), p, binary);
            String label = emulator.name() + " " + variant + "/" + p.name();
            assertThat(actual.timedOut()).as("%s timed out: %s", label, actual.describe()).isFalse();

            String expectedOut;
            int expectedStatus;
            String reference;
            boolean forceFiles = "expected".equals(System.getProperty("rivet.guest.reference"));
            if (p.qemuReference() && GuestExec.qemuAvailable() && !forceFiles) {
                Result ref = runIn(new Qemu(), new Setup(root, refWork, GUEST_WORK), p, binary);
                assertThat(ref.exitCode())
                        .as("reference run (qemu-riscv64) of %s/%s itself failed: %s", variant, p.name(),
                                ref.describe())
                        .isEqualTo(p.status());
                expectedOut = ref.stdout();
                expectedStatus = ref.exitCode();
                reference = "live qemu-riscv64 output";
            } else {
                Path file = GUEST.resolve("expected").resolve(p.name() + ".out");
                assertThat(file).as("no qemu-riscv64 and no %s", file).exists();
                expectedOut = Files.readString(file, StandardCharsets.UTF_8);
                expectedStatus = p.status();
                reference = "guest/expected/" + p.name() + ".out";
            }
            assertThat(actual.exitCode()).as("%s: exit status (reference: %s)\n%s", label, reference,
                    actual.describe()).isEqualTo(expectedStatus);
            assertThat(actual.stdout()).as("%s: stdout vs %s\n%s", label, reference, actual.describe())
                    .isEqualTo(expectedOut);
            if (expectedStatus > 128 && emulator instanceof GuestExec.Rivet) {   // qemu prints nothing
                assertThat(actual.stderr()).as("%s: death by signal %d should be reported on stderr", label,
                        expectedStatus - 128).isNotBlank();
            }
        } finally {
            GuestExec.deleteTree(work);
            GuestExec.deleteTree(refWork);
        }
    }

    /** Runs one program, substituting @WORK and @SELF (a copy of the binary in the scratch dir). */
    private static Result runIn(Emulator e, Setup setup, Program p, Path binary) throws IOException {
        String guestWork = e.guestWork(setup);
        List<String> args = new ArrayList<>();
        for (String a : p.args()) {
            if (a.contains("@SELF")) {
                Path self = setup.hostWork().resolve("self-" + p.name());
                Files.copy(binary, self, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                a = a.replace("@SELF", guestWork + "/self-" + p.name());
            }
            args.add(a.replace("@WORK", guestWork));
        }
        Map<String, String> env = new LinkedHashMap<>(ENV);
        return GuestExec.runGuest(e, setup, binary, args, env);
    }
}
