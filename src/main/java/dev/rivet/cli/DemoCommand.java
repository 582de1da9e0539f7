package dev.rivet.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rivet demo}: boots the guest image (OpenSBI, Linux 6.1, busybox) on the system VM. On a
 * terminal it is an interactive shell (Ctrl-A X or {@code poweroff -f} to leave); otherwise a short
 * scripted session runs and the guest powers off. The image comes from the cache that
 * {@code rivet image build} fills, or the reference guest beside the project; failing both, it is
 * built first.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Boot Linux on the system VM: an interactive shell on a terminal,",
            "a short scripted session otherwise. Builds the guest image first if there is none."})
public final class DemoCommand implements Callable<Integer> {
    static final String SESSION = String.join("\n",
            "echo '$ uname -a'; uname -a",
            "echo '$ cat /proc/cpuinfo'; cat /proc/cpuinfo",
            "echo '$ ls /bin | wc -l'; ls /bin | wc -l",
            "echo '$ seq 1 10 | awk ...'; seq 1 10 | awk '{ s += $1 } END { print \"sum\", s }'",
            "echo '$ poweroff -f'; poweroff -f", "");

    @Override
    public Integer call() throws Exception {
        Path dir = locateImage();
        if (dir == null) {
            System.err.println("rivet: no guest image yet: building it (rivet image build)");
            int built = new CommandLine(new ImageCommand()).execute("build");
            if (built != 0) return built;
            dir = ImageCommand.cacheDir();
        }
        BootCommand boot = new BootCommand();
        boolean terminal = System.console() != null && System.console().isTerminal();
        if (!terminal) boot.scriptedInput = new ByteArrayInputStream(SESSION.getBytes(StandardCharsets.UTF_8));
        System.err.println("rivet: booting " + dir + (terminal ? " (Ctrl-A X quits, Ctrl-A H helps)" : ""));
        return new CommandLine(boot.spec()).execute("--bios", dir.resolve("fw_dynamic.bin").toString(),
                "--kernel", dir.resolve("Image").toString(), "--initrd", dir.resolve("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet", "--memory", "256M");
    }

    private static Path locateImage() {
        Path home = Path.of(System.getProperty("rivet.home", "")).toAbsolutePath();
        for (Path dir : List.of(ImageCommand.cacheDir(), home.resolve("../shared/guest").normalize())) {
            if (Files.isRegularFile(dir.resolve("Image")) && Files.isRegularFile(dir.resolve("initramfs.cpio.gz"))
                    && Files.isRegularFile(dir.resolve("fw_dynamic.bin"))) {
                return dir;
            }
        }
        return null;
    }
}
