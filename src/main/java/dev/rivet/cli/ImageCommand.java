package dev.rivet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rivet image}: the guest image (Linux kernel, busybox initramfs, OpenSBI) that
 * {@code scripts/build-guest-image} makes from Debian packages into a cache directory.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build or locate the guest image (Linux 6.1, busybox initramfs, OpenSBI) made from Debian packages.",
        subcommands = {ImageCommand.Build.class, ImageCommand.PathCommand.class})
public final class ImageCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The cache directory: RIVET_IMAGE_DIR, or ~/.cache/rivet/guest (as the script decides). */
    static Path cacheDir() {
        String dir = System.getenv("RIVET_IMAGE_DIR");
        if (dir != null && !dir.isEmpty()) return Path.of(dir).toAbsolutePath();
        return Path.of(System.getProperty("user.home"), ".cache", "rivet", "guest");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build the guest image into the cache directory from Debian packages.",
                "Installs the packages it needs; the first build takes 10-15 minutes,",
                "later ones skip what is up to date. Cache: RIVET_IMAGE_DIR or ~/.cache/rivet/guest."})
    static final class Build implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path script = Path.of(System.getProperty("rivet.home", "."), "scripts", "build-guest-image").toAbsolutePath().normalize();
            if (!Files.isRegularFile(script)) {
                System.err.println("rivet: cannot find " + script + " (run rivet through its ./rivet launcher)");
                return 70;
            }
            Process process = new ProcessBuilder("bash", script.toString()).inheritIO().start();
            return process.waitFor();
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true,
            description = "Print the cache directory that holds the built guest image.")
    static final class PathCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(cacheDir());
            return 0;
        }
    }
}
