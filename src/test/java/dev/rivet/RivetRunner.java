package dev.rivet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rivet command line in a child JVM built from the test class path, so tests exercise the
 * real program (exit status, stdout, stderr) without going through the launcher's build step.
 */
public final class RivetRunner {
    /** What a finished run produced. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private RivetRunner() {}

    /** Runs {@code rivet ARGS...}; fails the test if it takes longer than {@code timeoutSeconds}. */
    public static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(null, null, timeoutSeconds, args);
    }

    /** Runs rivet in {@code workDir} (null: the project directory) feeding {@code stdin} (null: nothing). */
    public static Result run(Path workDir, byte[] stdin, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xss16m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.rivet.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (workDir != null) pb.directory(workDir.toFile());
        Path out = java.nio.file.Files.createTempFile("rivet-out", ".txt");
        Path err = java.nio.file.Files.createTempFile("rivet-err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rivet " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
        }
        Result r = new Result(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
        java.nio.file.Files.deleteIfExists(out);
        java.nio.file.Files.deleteIfExists(err);
        return r;
    }
}
