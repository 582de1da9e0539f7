package dev.rivet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rivet demo}: shows the process VM at work on the reference busybox binary, in a
 * throw-away root where busybox is installed as /bin with its applets linked to it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a short demonstration: riscv64 busybox commands under the process VM.")
public final class DemoCommand implements Callable<Integer> {
    static final String SCRIPT = "echo \"Hello from $(uname -m) busybox under Rivet\"; "
            + "echo '$ uname -a'; uname -a; "
            + "echo '$ ls /bin | wc -l'; ls /bin | wc -l; "
            + "echo '$ seq 1 5 | awk ...'; seq 1 5 | awk '{ s += $1 } END { print \"sum\", s }'; "
            + "echo '$ sha256sum /etc/motd'; sha256sum /etc/motd";

    @Override
    public Integer call() throws Exception {
        Path busybox = locateBusybox();
        if (busybox == null) {
            System.err.println("rivet: demo needs the reference busybox (../shared/guest/busybox.rv64 beside the project)");
            return 1;
        }
        Path root = Files.createTempDirectory("rivet-demo");
        try {
            Path bin = Files.createDirectories(root.resolve("bin"));
            Files.copy(busybox, bin.resolve("busybox"));
            bin.resolve("busybox").toFile().setExecutable(true);
            for (String applet : List.of("sh", "echo", "uname", "ls", "wc", "seq", "awk", "sha256sum", "cat")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/motd"), "Rivet runs riscv64 Linux programs on any JVM.\n");
            return new CommandLine(new RunCommand()).setStopAtPositional(true).execute("--root", root.toString(), "--clear-env",
                    "--env", "PATH=/bin", "/bin/sh", "-c", SCRIPT);
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path locateBusybox() {
        Path home = Path.of(System.getProperty("rivet.home", "")).toAbsolutePath();
        for (Path candidate : List.of(home.resolve("../shared/guest/busybox.rv64"), Path.of("../shared/guest/busybox.rv64"))) {
            if (Files.isRegularFile(candidate)) return candidate.normalize();
        }
        return null;
    }
}
