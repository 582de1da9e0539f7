package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper for the readiness tests: builds guest programs from the sources under
 * {@code src/test/resources/dev/rivet/linux/poll/} (C with riscv64-linux-gnu-gcc -static, Go with
 * GOARCH=riscv64) and runs them under {@code ./rivet run} or {@code qemu-riscv64} as subprocesses.
 * A missing tool skips the test (an assumption), it never fails it.
 */
final class PollPrograms {
    private PollPrograms() {}

    /** What a finished program printed. */
    record Result(int status, String stdout, String stderr) {
        String describe() {
            return "status " + status + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    static final Path PROJECT = findProject();

    private static Path findProject() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("rivet"))) return p;
        }
        throw new IllegalStateException("no project directory with ./rivet above " + Path.of("").toAbsolutePath());
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    static String source(String name) throws IOException {
        try (InputStream in = PollPrograms.class.getResourceAsStream("poll/" + name)) {
            if (in == null) throw new IOException("missing test resource poll/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Compiles {@code poll/<name>.c} statically for riscv64 into {@code dir}. */
    static Path compileC(Path dir, String name) throws IOException, InterruptedException {
        assumeTrue(onPath("riscv64-linux-gnu-gcc"), "riscv64-linux-gnu-gcc is not installed");
        Path src = dir.resolve(name + ".c");
        Files.writeString(src, source(name + ".c"));
        Path out = dir.resolve(name);
        Result r = exec(List.of("riscv64-linux-gnu-gcc", "-static", "-O1", "-o", out.toString(), src.toString(),
                "-lpthread"), dir, Map.of(), 120);
        assertThat(r.status()).as("compiling %s: %s", name, r.stderr()).isZero();
        return out;
    }

    /** Builds {@code poll/<name>.go} as a static riscv64 Linux program. */
    static Path compileGo(Path dir, String name) throws IOException, InterruptedException {
        assumeTrue(onPath("go"), "go is not installed");
        Path src = dir.resolve(name + ".go");
        Files.writeString(src, source(name + ".go"));
        Path out = dir.resolve(name);
        Map<String, String> env = Map.of("GOOS", "linux", "GOARCH", "riscv64", "CGO_ENABLED", "0",
                "GO111MODULE", "off");
        Result r = exec(List.of("go", "build", "-o", out.toString(), src.toString()), dir, env, 600);
        assertThat(r.status()).as("building %s: %s", name, r.stderr()).isZero();
        return out;
    }

    static Result rivet(Path program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PROJECT.resolve("rivet").toString(), "run", "--timeout", "60",
                program.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, program.getParent(), Map.of(), 300);
    }

    static Result qemu(Path program) throws IOException, InterruptedException {
        assumeTrue(onPath("qemu-riscv64"), "qemu-riscv64 is not installed");
        return exec(List.of("qemu-riscv64", program.toString()), program.getParent(), Map.of(), 120);
    }

    private static Result exec(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return new Result(-1, Files.readString(out), Files.readString(err) + "\n(killed after " + timeoutSeconds + " s)");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
