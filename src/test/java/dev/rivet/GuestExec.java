package dev.rivet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Shared helpers for the end-to-end guest tests: running host processes with a timeout and
 * captured output, finding tools, and building the command lines that run a riscv64 Linux
 * program under Rivet ({@code ./rivet run}) or under {@code qemu-riscv64} (the reference).
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code rivet.guest.emulator=qemu} runs the "under test" side with qemu-riscv64 instead of
 *       ./rivet: a self-check of the harness (everything must pass).
 *   <li>{@code rivet.guest.timeout=SECONDS} per-run time limit for the side under test (default 300).
 * </ul>
 */
final class GuestExec {
    private GuestExec() {}

    /** The project directory (where pom.xml and ./rivet are). */
    static final Path PROJECT = findProject();
    /** Debian's riscv64 sysroot: the guest root for dynamically linked programs. */
    static final Path SYSROOT = Path.of("/usr/riscv64-linux-gnu");
    static final Duration TIMEOUT =
            Duration.ofSeconds(Long.getLong("rivet.guest.timeout", 300));
    static final Duration QEMU_TIMEOUT = Duration.ofSeconds(120);

    private static Path findProject() {
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("rivet"))) {
                return p;
            }
        }
        return dir;
    }

    /** Outcome of a finished (or killed) process; stdout and stderr decoded as UTF-8. */
    record Result(int exitCode, String stdout, String stderr, boolean timedOut, Duration elapsed) {
        /** A few lines for assertion messages. */
        String describe() {
            return "exit " + exitCode + (timedOut ? " (TIMED OUT, killed)" : "") + " after "
                    + elapsed.toMillis() + " ms\n--- stderr (tail) ---\n" + tail(stderr, 25)
                    + "--- stdout (tail) ---\n" + tail(stdout, 25);
        }
    }

    static String tail(String s, int lines) {
        List<String> all = s.lines().toList();
        StringBuilder b = new StringBuilder();
        for (String l : all.subList(Math.max(0, all.size() - lines), all.size())) b.append(l).append('\n');
        return b.toString();
    }

    /**
     * Runs a command to completion. Output goes to temporary files (no pipe deadlocks); on
     * timeout the process and its descendants are killed and {@code timedOut} is set.
     */
    static Result run(List<String> command, Path cwd, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("guest-out", ".txt");
            Path err = Files.createTempFile("guest-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                long start = System.nanoTime();
                Process p = pb.start();
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                return new Result(done ? p.exitValue() : -1,
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), !done, elapsed);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** An executable on PATH. */
    static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    static boolean qemuAvailable() {
        return onPath("qemu-riscv64").isPresent();
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: scratch space
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /**
     * Where a guest runs: its root ({@code null}: the host's file system, as qemu-user without
     * -L) and a scratch directory on the host; see {@link Emulator#guestWork} for the path the
     * guest uses. {@code rivetGuestWork} is where Rivet mounts it when there is a root.
     */
    record Setup(Path root, Path hostWork, String rivetGuestWork) {}

    /** A way of running riscv64 Linux programs: Rivet or qemu-user. */
    sealed interface Emulator permits Rivet, Qemu {
        String name();

        /** The scratch directory as the guest sees it. */
        String guestWork(Setup setup);

        /** The full command line running {@code program} (a host path) with {@code args}. */
        List<String> command(Setup setup, Path program, List<String> args, Duration timeout);

        default Duration timeout() {
            return TIMEOUT;
        }
    }

    /**
     * {@code ./rivet run}: with a root, the scratch directory is mounted into the guest at
     * {@code rivetGuestWork}; without one the guest sees the host's file system and the scratch
     * directory at its host path. {@code translated}: with the translator translating every block
     * entered twice (so nearly all of a program runs translated), else with the interpreter only.
     */
    record Rivet(boolean translated) implements Emulator {
        @Override public String name() {
            return translated ? "rivet --jit on" : "rivet --jit off";
        }

        @Override public String guestWork(Setup s) {
            return s.root() == null ? s.hostWork().toString() : s.rivetGuestWork();
        }

        @Override public List<String> command(Setup s, Path program, List<String> args, Duration timeout) {
            // The child JVM runs Rivet from the test class path: no launcher build step inside a test run.
            List<String> cmd = RivetRunner.java("-Xss16m", "-XX:+UseSerialGC", "-Drivet.jit.threshold=2");
            cmd.addAll(List.of("dev.rivet.cli.Main", "run", "--jit", translated ? "on" : "off"));
            if (s.root() != null) {
                cmd.addAll(List.of("--root", s.root().toString(),
                        "--mount", s.hostWork() + ":" + s.rivetGuestWork()));
            } else {
                // Like qemu-user without -L, the guest sees the host's files (the scratch directory at its host path).
                cmd.addAll(List.of("--root", "/"));
            }
            cmd.addAll(List.of("--timeout", Long.toString(timeout.toSeconds())));
            cmd.add(program.toString());
            cmd.addAll(args);
            return cmd;
        }
    }

    /**
     * {@code qemu-riscv64 [-L root]}: qemu only redirects paths into the root when they exist
     * there, so the guest sees the scratch directory at its host path. Core dumps are disabled
     * (qemu writes guest cores itself when RLIMIT_CORE allows).
     */
    record Qemu(Duration timeout) implements Emulator {
        Qemu() {
            this(QEMU_TIMEOUT);
        }

        @Override public String name() {
            return "qemu-riscv64";
        }

        @Override public String guestWork(Setup s) {
            return s.hostWork().toString();
        }

        @Override public List<String> command(Setup s, Path program, List<String> args, Duration timeout) {
            List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -c 0; exec \"$@\"", "sh",
                    "qemu-riscv64"));
            if (s.root() != null) cmd.addAll(List.of("-L", s.root().toString()));
            cmd.add(program.toString());
            cmd.addAll(args);
            return cmd;
        }
    }

    /** The emulator under test: Rivet (translated), or qemu when {@code -Drivet.guest.emulator=qemu}. */
    static Emulator underTest() {
        return "qemu".equals(System.getProperty("rivet.guest.emulator")) ? new Qemu(TIMEOUT) : new Rivet(true);
    }

    /** The emulators under test: Rivet interpreting and Rivet translating, or qemu (see underTest). */
    static List<Emulator> allUnderTest() {
        Emulator e = underTest();
        return e instanceof Qemu ? List.of(e) : List.of(new Rivet(false), new Rivet(true));
    }

    private static volatile boolean rivetWarmedUp;

    /**
     * Lets ./rivet build itself once (it compiles the project on first use), so that the first
     * guest run is not charged with the build. Failures are left for the real runs to report.
     */
    static synchronized void warmUp(Emulator e) {
        // Rivet runs from the test class path, already compiled: nothing to warm up.
        rivetWarmedUp = true;
    }

    /** Runs a guest program under an emulator. */
    static Result runGuest(Emulator e, Setup setup, Path program, List<String> args, Map<String, String> env) {
        return run(e.command(setup, program, args, e.timeout()), setup.hostWork(), env,
                e.timeout().plusSeconds(30));
    }

    /** Splits shell-like words: whitespace separates, "double quotes" group, \" and \\ escape. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false, quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) out.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quoted) throw new IllegalArgumentException("unbalanced quotes: " + line);
        if (inWord) out.add(cur.toString());
        return out;
    }
}
