package dev.rivet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.GuestExec.Emulator;
import dev.rivet.GuestExec.Qemu;
import dev.rivet.GuestExec.Result;
import dev.rivet.GuestExec.Setup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs a real static riscv64 busybox (../shared/guest/busybox.rv64) under {@code ./rivet run} and
 * compares exit status and stdout with a live qemu-riscv64 run.
 *
 * <p>The guest root is a scratch directory holding bin/busybox and applet symlinks (so that
 * {@code sh} can fork and exec {@code ls}, {@code wc}, ... inside the guest); the data files are
 * in another scratch directory, mounted at /data for Rivet. Under qemu-user, which cannot exec
 * riscv64 binaries without binfmt_misc, commands that sh execs run as the host's own tools; the
 * commands below are chosen so that GNU and busybox tools print the same thing. In commands and
 * in the output, {D} stands for the data directory as the guest sees it.
 */
@Tag("guest")
class BusyboxTest {
    static final Path BUSYBOX = GuestExec.PROJECT.resolve("../shared/guest/busybox.rv64").normalize();
    static final List<String> APPLETS = List.of("sh", "ls", "wc", "cat", "sort", "echo", "sha256sum",
            "find", "sed", "awk", "head", "tr", "uniq", "mkdir", "rm", "touch");
    static final Map<String, String> ENV = Map.of("PATH", "/bin:/usr/bin", "LC_ALL", "C");

    static Path root;
    static Path data;
    static Path refData;

    /**
     * A busybox command line, its exit status (checked on the qemu reference run, so that a
     * broken reference cannot pass silently; status 0 also requires some output), and
     * {@code sortLines} when the output order is the directory's order.
     */
    record Case(String name, int status, boolean sortLines, List<String> argv) {
        static Case of(String name, String... argv) {
            return new Case(name, 0, false, List.of(argv));
        }
    }

    static final List<Case> CASES = List.of(
            Case.of("echo", "echo", "hello", "from", "busybox"),
            Case.of("ls", "ls", "{D}"),
            Case.of("wc -c", "sh", "-c", "wc -c < {D}/words.txt"),
            Case.of("cat", "cat", "{D}/a.txt", "{D}/words.txt"),
            Case.of("sort", "sort", "{D}/words.txt"),
            Case.of("sort -rn", "sort", "-rn", "{D}/numbers.txt"),
            Case.of("wc -l", "wc", "-l", "{D}/words.txt"),
            Case.of("sh pipe ls | wc -l", "sh", "-c", "ls {D} | wc -l"),
            Case.of("sh for loop", "sh", "-c", "for i in 1 2 3; do echo $i; done"),
            Case.of("sh arithmetic and substitution", "sh", "-c",
                    "x=$(echo sub); echo \"got $x $((6 * 7))\"; i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i"),
            new Case("sh exit status", 3, false, List.of("sh", "-c", "false || exit 3")),
            Case.of("sh pipeline", "sh", "-c", "cat {D}/words.txt | sort | uniq -c | sort -rn | head -n 2"),
            Case.of("sh redirections", "sh", "-c",
                    "echo one > {D}/out.txt; echo two >> {D}/out.txt; wc -l < {D}/out.txt; cat {D}/out.txt; rm {D}/out.txt"),
            Case.of("sha256sum", "sha256sum", "{D}/a.txt", "{D}/words.txt"),
            new Case("find", 0, true, List.of("find", "{D}", "-name", "*.txt")),
            new Case("find -type d", 0, true, List.of("find", "{D}", "-type", "d")),
            Case.of("sed", "sed", "-e", "s/o/0/g", "-e", "/zoo/d", "{D}/a.txt"),
            Case.of("awk", "awk", "{ n += length($0) } END { print NR, n }", "{D}/words.txt"),
            Case.of("awk fields", "awk", "-F", ":", "{ print $2 \"-\" $1 }", "{D}/fields.txt"),
            Case.of("tr", "sh", "-c", "tr a-z A-Z < {D}/a.txt"));

    @BeforeAll
    static void prepare() throws IOException {
        assumeTrue(Files.isRegularFile(BUSYBOX), "no riscv64 busybox at " + BUSYBOX);
        root = GuestExec.tempDir("rivet-bbroot-");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        bin.resolve("busybox").toFile().setExecutable(true);
        for (String applet : APPLETS) Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        Files.createDirectories(root.resolve("tmp"));
        data = GuestExec.tempDir("rivet-bbdata-");
        refData = GuestExec.tempDir("rivet-bbdata-ref-");
        for (Path d : List.of(data, refData)) fill(d);
    }

    static void fill(Path d) throws IOException {
        Files.writeString(d.resolve("a.txt"), "hello world\nfoo bar\nzoo\n");
        Files.writeString(d.resolve("words.txt"),
                String.join("\n", "pear", "apple", "fig", "banana", "apple", "cherry", "fig", "apple") + "\n");
        Files.writeString(d.resolve("numbers.txt"), "10\n9\n100\n-3\n42\n");
        Files.writeString(d.resolve("fields.txt"), "a:1\nb:2\nc:3\n");
        Path sub = Files.createDirectories(d.resolve("sub/deeper"));
        Files.writeString(d.resolve("sub/c.txt"), "c\n");
        Files.writeString(sub.resolve("d.txt"), "d\n");
        Files.writeString(d.resolve("sub/e.log"), "e\n");
    }

    @AfterAll
    static void cleanUp() {
        GuestExec.deleteTree(root);
        GuestExec.deleteTree(data);
        GuestExec.deleteTree(refData);
    }

    @TestFactory
    Stream<DynamicTest> busybox() {
        Emulator emulator = GuestExec.underTest();
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            assumeTrue(GuestExec.qemuAvailable(), "qemu-riscv64 is not installed: no reference for busybox");
            GuestExec.warmUp(emulator);
            Result actual = run(emulator, new Setup(root, data, "/data"), c);
            Result ref = run(new Qemu(), new Setup(root, refData, "/data"), c);
            assertThat(actual.timedOut()).as("timed out: %s", actual.describe()).isFalse();
            assertThat(ref.timedOut()).as("qemu reference timed out: %s", ref.describe()).isFalse();
            assertThat(ref.exitCode()).as("qemu reference run's status: %s", ref.describe()).isEqualTo(c.status());
            if (c.status() == 0) assertThat(ref.stdout()).as("qemu reference printed nothing: %s", ref.describe()).isNotEmpty();
            String want = normalize(ref.stdout(), new Qemu().guestWork(new Setup(root, refData, "/data")), c);
            String got = normalize(actual.stdout(), emulator.guestWork(new Setup(root, data, "/data")), c);
            assertThat(actual.exitCode()).as("exit status vs qemu-riscv64\n%s", actual.describe())
                    .isEqualTo(ref.exitCode());
            assertThat(got).as("stdout vs qemu-riscv64\n%s", actual.describe()).isEqualTo(want);
        }));
    }

    private static Result run(Emulator e, Setup setup, Case c) {
        String d = e.guestWork(setup);
        List<String> args = new ArrayList<>();
        for (String a : c.argv()) args.add(a.replace("{D}", d));
        return GuestExec.runGuest(e, setup, root.resolve("bin/busybox"), args, ENV);
    }

    /** Replaces the data directory's guest path by {D}; sorts lines when the case asks for it. */
    static String normalize(String out, String guestData, Case c) {
        String s = out.replace(guestData, "{D}");
        if (!c.sortLines()) return s;
        return Arrays.stream(s.split("\n")).sorted().collect(Collectors.joining("\n", "", s.isEmpty() ? "" : "\n"));
    }
}
