package dev.rivet.gdb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rivet.RivetRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Test helpers for the debugger tests: building the test programs with the riscv64 cross
 * compiler, starting rivet with {@code --gdb 0} in the background (the port it picked is read from
 * its stderr), and driving the real {@code gdb-multiarch} in batch mode.
 */
final class GdbTools {
    private GdbTools() {}

    static final String CC = "riscv64-linux-gnu-gcc";
    static final String GDB = "gdb-multiarch";
    /** The reference guest, beside the project (as ../shared/guest). */
    static final Path GUEST = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("../shared/guest").normalize();
    private static final Pattern LISTENING = Pattern.compile("gdb: listening on 127\\.0\\.0\\.1:(\\d+)");

    /** Skips the test unless gdb-multiarch and the cross compiler are installed. */
    static void assumeTools() {
        assumeTrue(works(GDB, "--version"), GDB + " is not installed (apt-get install gdb-multiarch)");
        assumeTrue(works(CC, "--version"), CC + " is not installed");
    }

    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Copies test resource {@code NAME} into {@code dir}. */
    static Path resource(String name, Path dir) throws IOException {
        try (InputStream in = GdbTools.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    /** Compiles {@code NAME.c} with debug information, unoptimised, static. */
    static Path compileC(String name, Path dir) throws IOException, InterruptedException {
        Path src = resource(name + ".c", dir);
        Path out = dir.resolve(name);
        exec(dir, List.of(CC, "-g", "-O0", "-static", "-pthread", "-o", out.getFileName().toString(), src.getFileName().toString()));
        return out;
    }

    /** Assembles and links the bare-metal program at 0x80000000. */
    static Path compileBare(Path dir) throws IOException, InterruptedException {
        Path src = resource("bare.S", dir);
        Path ld = resource("bare.ld", dir);
        Path out = dir.resolve("bare.elf");
        exec(dir, List.of(CC, "-g", "-nostdlib", "-nostartfiles", "-static", "-no-pie", "-fno-pic", "-march=rv64gc",
                "-mabi=lp64d", "-T", ld.getFileName().toString(), "-Wl,--no-warn-rwx-segments", "-Wl,--build-id=none", "-o",
                out.getFileName().toString(), src.getFileName().toString()));
        return out;
    }

    private static void exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(cmd + " failed:\n" + log);
    }

    /** A rivet in the background with its debugger port. */
    record Rivet(RivetRunner.Running process, int port) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            process.close();
        }
    }

    /** Starts {@code rivet ARGS...} (which must include {@code --gdb 0}) and waits for it to listen. */
    static Rivet start(Path dir, String... args) throws IOException, InterruptedException {
        RivetRunner.Running r = RivetRunner.start(dir, args);
        int port = Integer.parseInt(r.awaitStderr(LISTENING, 60).group(1));
        return new Rivet(r, port);
    }

    /** Runs gdb-multiarch in batch mode against {@code port}, with {@code elf} loaded (or none), and returns its output. */
    static String gdb(Path elf, int port, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(GDB, "-nx", "--batch", "-ex", "set pagination off", "-ex", "set confirm off",
                "-ex", "set width 0"));
        if (elf == null) cmd.addAll(List.of("-ex", "set architecture riscv:rv64"));
        cmd.addAll(List.of("-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) cmd.addAll(List.of("-ex", c));
        if (elf != null) cmd.add(elf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gdb did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Waits until a background gdb's output (its unbuffered stderr, e.g. remote debug lines) contains {@code text}. */
    static void awaitOutput(Path log, String text, long seconds) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.readString(log).contains(text)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("gdb did not print " + text + ":\n" + Files.readString(log));
    }

    /** Sends SIGINT to a background gdb, as Ctrl-C in its terminal would. */
    static void interrupt(Process gdb) throws IOException, InterruptedException {
        exec(null, List.of("kill", "-INT", Long.toString(gdb.pid())));
    }

    /** Starts gdb-multiarch in the background (for tests that interrupt it with SIGINT, as Ctrl-C does). */
    static Process gdbAsync(Path elf, int port, Path output, String... commands) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(GDB, "-nx", "--batch", "-ex", "set pagination off", "-ex", "set confirm off"));
        if (elf == null) cmd.addAll(List.of("-ex", "set architecture riscv:rv64"));
        cmd.addAll(List.of("-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) cmd.addAll(List.of("-ex", c));
        if (elf != null) cmd.add(elf.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }
}
