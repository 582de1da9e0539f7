package dev.rivet.cli;

import dev.rivet.elf.ElfException;
import dev.rivet.jit.Jit;
import dev.rivet.jit.JitConfig;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code rivet run}: the process VM, running one riscv64 Linux program in a sandbox.
 *
 * <p>Its command-line model is built by calls ({@link #spec}) rather than from annotations as
 * the other commands' are: reading annotations makes the JVM generate a proxy class for each
 * annotation type, which no start-up cache holds, and picocli took 58-81 ms of every run with the
 * annotated model against 13-25 ms with this one (a separate program parsing the same command line
 * with each, from an ahead-of-time cache). A program's run starts that much sooner.
 */
public final class RunCommand implements Callable<Integer> {
    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    Path root;
    List<String> mounts;
    long maxInstructions;
    long maxMemory;
    double timeout;
    boolean stats;
    OnOff jit;
    List<String> env;
    boolean clearEnv;
    DebugOptions debug;
    String program;
    List<String> args;

    RunCommand() {
        spec.name("run").version(Main.VERSION);
        spec.usageMessage().sortOptions(false).description("Run a riscv64 Linux program as a sandboxed process.",
                "The exit status is the program's; 128+N if signal N killed it; 122/123/124 when the",
                "memory, instruction or time limit ended it; 126/127 if it cannot be loaded/found.");
        Specs.path(spec, "--root", "DIR", "Directory the guest sees as / (default: the current directory).");
        Specs.repeatable(spec, "--mount", "HOST:GUEST[:ro]", "Also show a host directory or file at a guest path.");
        Specs.option(spec, "--max-insns", long.class, "N", "End the guest after N instructions (status 123).");
        Specs.size(spec, "End the guest when its memory exceeds SIZE, e.g. 256M (status 122).", "--max-memory");
        Specs.option(spec, "--timeout", double.class, "SECONDS", "End the guest after this much wall time (status 124).");
        Specs.flag(spec, "--stats", "Print instructions, wall time, MIPS and system-call counts to stderr at exit.");
        Specs.jit(spec);
        spec.addOption(OptionSpec.builder("-E", "--env").paramLabel("NAME=VALUE").type(List.class).auxiliaryTypes(String.class)
                .description("Set an environment variable for the guest.").build());
        Specs.flag(spec, "--clear-env", "Start the guest with an empty environment instead of the host's.");
        DebugOptions.addTo(spec);
        Main.addStandardHelpOptions(spec);
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("PROGRAM").type(String.class)
                .description("The riscv64 ELF program (host path, or a path in the guest root).").build());
        spec.addPositional(PositionalParamSpec.builder().index("1..*").arity("0..*").paramLabel("ARGS").type(List.class)
                .auxiliaryTypes(String.class).description("Arguments for the program.").build());
    }

    /** The command's model, for picocli. */
    CommandSpec spec() {
        return spec;
    }

    /** Takes the parsed values from the model into the fields. */
    private void readSpec() {
        root = Specs.value(spec, "--root", null);
        mounts = Specs.value(spec, "--mount", List.of());
        maxInstructions = Specs.value(spec, "--max-insns", 0L);
        maxMemory = Specs.value(spec, "--max-memory", 0L);
        timeout = Specs.value(spec, "--timeout", 0.0);
        stats = Specs.value(spec, "--stats", false);
        jit = Specs.value(spec, "--jit", OnOff.on);
        env = Specs.value(spec, "--env", List.of());
        clearEnv = Specs.value(spec, "--clear-env", false);
        debug = DebugOptions.of(spec);
        program = spec.positionalParameters().get(0).getValue();
        List<String> rest = spec.positionalParameters().get(1).getValue();
        args = rest == null ? List.of() : rest;
    }

    @Override
    public Integer call() throws Exception {
        readSpec();
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
        if (jit == OnOff.on) kernel.useTranslator(new Jit(JitConfig.defaults()));
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
