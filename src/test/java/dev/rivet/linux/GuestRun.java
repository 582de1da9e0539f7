package dev.rivet.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.Mount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: compiles C test programs with the riscv64 cross compiler and runs guest programs in
 * a sandbox in-process (the same Kernel the {@code rivet run} command builds), capturing output.
 */
final class GuestRun {
    static final String CC = "riscv64-linux-gnu-gcc";

    /** What a guest run produced. */
    record Result(int status, String out, String err) {}

    private GuestRun() {}

    /** Skips the calling test when the cross compiler is not installed. */
    static void assumeCompiler() {
        boolean present;
        try {
            Process p = new ProcessBuilder(CC, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        assumeTrue(present, CC + " is not installed");
    }

    /** Compiles the test resource {@code files/NAME.c} statically into {@code dir/NAME}. */
    static Path compile(String name, Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        try (InputStream in = GuestRun.class.getResourceAsStream("files/" + name + ".c")) {
            if (in == null) throw new IOException("missing test resource files/" + name + ".c");
            Files.write(src, in.readAllBytes());
        }
        Path out = dir.resolve(name);
        Process p = new ProcessBuilder(CC, "-static", "-O1", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("compile failed:\n" + log);
        return out;
    }

    static Result run(Path root, List<Mount> mounts, String stdin, String cwd, String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Readiness readiness = new Readiness();
        Console console = new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err,
                false, readiness);
        PrintStream diagnostics = new PrintStream(err, true, StandardCharsets.UTF_8);
        Kernel kernel = new Kernel(new GuestFileSystem(root, mounts), new Kernel.Options(0, 0, 120, false), console,
                diagnostics);
        List<String> env = new ArrayList<>(List.of("PATH=/bin", "HOME=/", "LANG=C"));
        int status = kernel.runGuestProgram(argv[0], List.of(argv), env, cwd);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(Path root, String... argv) throws Exception {
        return run(root, List.of(), "", "/", argv);
    }
}
