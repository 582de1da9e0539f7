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

    /** A rivet started in the background ({@link #start}); closing it kills it if it still runs. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public String stdout() throws IOException {
            return java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderr() throws IOException {
            return java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits until stderr matches {@code pattern} and returns the match (fails the test after {@code seconds}). */
        public java.util.regex.Matcher awaitStderr(java.util.regex.Pattern pattern, long seconds)
                throws IOException, InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                java.util.regex.Matcher m = pattern.matcher(stderr());
                if (m.find()) return m;
                if (!process.isAlive()) break;
                Thread.sleep(50);
            }
            throw new AssertionError("rivet did not print " + pattern + "; stderr:\n" + stderr());
        }

        /** Waits for the exit status; null if rivet still runs after {@code seconds}. */
        public Integer waitFor(long seconds) throws InterruptedException {
            return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
        }
    }

    /** Starts {@code rivet ARGS...} in {@code workDir} (null: the project directory) without waiting for it. */
    public static Running start(Path workDir, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        if (workDir != null) pb.directory(workDir.toFile());
        Path out = java.nio.file.Files.createTempFile("rivet-out", ".txt");
        Path err = java.nio.file.Files.createTempFile("rivet-err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Running(pb.start(), out, err);
    }

    private static List<String> command(String... args) {
        List<String> cmd = java("-Xss16m", "-XX:+UseSerialGC");
        cmd.add("dev.rivet.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The start of a command line that runs a class of Rivet in a child JVM: this JVM's java, the
     * given options, the options Rivet needs (as its jar's manifest and launcher give them) and
     * the test class path; the main class and its arguments follow.
     */
    public static List<String> java(String... options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    /** Runs rivet in {@code workDir} (null: the project directory) feeding {@code stdin} (null: nothing). */
    public static Result run(Path workDir, byte[] stdin, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
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
