package dev.rivet.cli;

import dev.rivet.elf.ElfException;
import dev.rivet.jit.Jit;
import dev.rivet.linux.Console;
import dev.rivet.linux.Kernel;
import dev.rivet.linux.Readiness;
import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.rivet.linux.GuestDebug;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rivet run}: the process VM, running one riscv64 Linux program in a sandbox. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a riscv64 Linux program as a sandboxed process.",
            "The exit status is the program's; 128+N if signal N killed it; 122/123/124 when the",
            "memory, instruction or time limit ended it; 126/127 if it cannot be loaded/found."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--root", paramLabel = "DIR", description = "Directory the guest sees as / (default: the current directory).")
    Path root;

    @Option(names = "--mount", paramLabel = "HOST:GUEST[:ro]", description = "Also show a host directory or file at a guest path.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--max-insns", paramLabel = "N", description = "End the guest after N instructions (status 123).")
    long maxInstructions;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "End the guest when its memory exceeds SIZE, e.g. 256M (status 122).")
    long maxMemory;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "End the guest after this much wall time (status 124).")
    double timeout;

    @Option(names = "--stats", description = "Print instructions, wall time, MIPS and system-call counts to stderr at exit.")
    boolean stats;

    @Option(names = "--jit", paramLabel = "on|off", defaultValue = "on",
            description = "Translate hot guest code to JVM bytecode (default: ${DEFAULT-VALUE}).")
    OnOff jit = OnOff.on;

    @Option(names = {"-E", "--env"}, paramLabel = "NAME=VALUE", description = "Set an environment variable for the guest.")
    List<String> env = new ArrayList<>();

    @Option(names = "--clear-env", description = "Start the guest with an empty environment instead of the host's.")
    boolean clearEnv;

    @Mixin
    DebugOptions debug = new DebugOptions();

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The riscv64 ELF program (host path, or a path in the guest root).")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (maxInstructions < 0 || timeout < 0) return usage("limits must be positive");
        Path rootDir = (root == null ? Path.of("") : root).toAbsolutePath().normalize();
        if (!Files.isDirectory(rootDir)) return usage("root " + rootDir + " is not a directory");
        List<Mount> mountList = new ArrayList<>();
        for (String m : mounts) {
            try {
                mountList.add(Mount.parse(m));
            } catch (RuntimeException e) {
                return usage("bad --mount " + m + ": " + e.getMessage());
            }
        }
        GuestFileSystem fs;
        try {
            fs = new GuestFileSystem(rootDir, mountList);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        List<String> envp = new ArrayList<>();
        if (!clearEnv) for (Map.Entry<String, String> e : System.getenv().entrySet()) envp.add(e.getKey() + "=" + e.getValue());
        for (String e : env) {
            if (!e.contains("=")) return usage("--env needs NAME=VALUE, got " + e);
            envp.removeIf(x -> x.startsWith(e.substring(0, e.indexOf('=') + 1)));
            envp.add(e);
        }
        String problem = debug.prepare();
        if (problem != null) return usage(problem);
        Kernel kernel = new Kernel(fs, new Kernel.Options(maxInstructions, maxMemory, timeout, stats),
                Console.ofHost(new Readiness()), System.err);
        if (jit == OnOff.on) kernel.useTranslator(new Jit(Jit.Config.defaults()));
        try (DebugOptions d = debug) {
            if (d.active()) {
                GuestDebug adapter = new GuestDebug(kernel, d.debugger, d.tracer);
                kernel.attach(adapter);
                problem = d.listen(adapter);
                if (problem != null) return usage(problem);
            }
            int status = start(kernel, rootDir, envp);
            d.finish(status, kernel.exitSignal());
            return status;
        }
    }

    private int start(Kernel kernel, Path rootDir, List<String> envp) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        Path hostProgram = Path.of(program);
        String guestCwd = guestPathOf(rootDir, Path.of("").toAbsolutePath());
        try {
            if (Files.isRegularFile(hostProgram)) {
                // A program outside the root keeps its absolute host path as its name (what
                // /proc/self/exe shows, absolute for every Linux process), not the path as given.
                Path absolute = hostProgram.toAbsolutePath().normalize();
                String guestPath = guestPathOf(rootDir, absolute);
                String name = guestPath == null ? absolute.toString() : guestPath;
                return kernel.runHostProgram(Files.readAllBytes(hostProgram), name, argv, envp,
                        guestCwd == null ? "/" : guestCwd);
            }
            return kernel.runGuestProgram(program, argv, envp, guestCwd == null ? "/" : guestCwd);
        } catch (ElfException e) {
            System.err.println("rivet: " + e.getMessage());
            return 126;
        } catch (dev.rivet.linux.GuestError e) {
            System.err.println("rivet: " + program + ": " + (e.errno == 2 ? "no such file" : "cannot execute (errno " + e.errno + ")"));
            return e.errno == 2 ? 127 : 126;
        }
    }

    /** The guest path of a host path inside the root, or null if it lies outside. */
    private static String guestPathOf(Path root, Path host) {
        Path abs = host.toAbsolutePath().normalize();
        if (!abs.startsWith(root)) return null;
        String rel = root.relativize(abs).toString();
        return rel.isEmpty() ? "/" : "/" + rel;
    }

    private static int usage(String message) {
        System.err.println("rivet: " + message);
        return 2;
    }
}
