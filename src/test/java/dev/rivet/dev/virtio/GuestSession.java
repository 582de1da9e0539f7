package dev.rivet.dev.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.RivetRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rivet boot} of the reference guest in a child JVM (the real command line, as
 * dev.rivet.RivetRunner runs it), driven command by command through the serial console: each
 * command is followed by a marker echo, so the session knows when it finished and with what status.
 */
final class GuestSession implements AutoCloseable {
    static final Path GUEST = Path.of("../shared/guest").toAbsolutePath().normalize();

    /** What one command printed (the echoed command line included) and its exit status. */
    record Reply(int status, String output) { }

    private final Process process;
    private final OutputStream stdin;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private int commands;

    static boolean available() {
        return Files.isRegularFile(GUEST.resolve("Image")) && Files.isRegularFile(GUEST.resolve("initramfs.cpio.gz"));
    }

    private GuestSession(List<String> args) throws IOException {
        List<String> cmd = RivetRunner.java("-Xss16m", "-XX:+UseSerialGC");
        cmd.addAll(List.of("dev.rivet.cli.Main", "boot",
                "--bios", GUEST.resolve("fw_dynamic.bin").toString(),
                "--kernel", GUEST.resolve("Image").toString(),
                "--initrd", GUEST.resolve("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet"));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).start();
        stdin = process.getOutputStream();
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    private static void pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[4096];
            try {
                int n;
                while ((n = in.read(b)) > 0) into.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Boots with {@code args} added to the command line and waits for the shell prompt. */
    static GuestSession boot(String... args) throws Exception {
        GuestSession s = new GuestSession(List.of(args));
        int booted = s.await(Pattern.compile("guest: booted"), 0, 180);
        s.await(Pattern.compile("# "), booted, 30);
        return s;
    }

    /** Waits for {@code p} in stdout after {@code from}; returns where the match ends. */
    private int await(Pattern p, int from, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(out);
            if (m.find(from)) return m.end();
            if (!process.isAlive() && !p.matcher(out).find(from)) break;
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + p + "' from the guest in " + seconds + " s\n--- stdout ---\n" + tail(out.toString())
                + "\n--- stderr ---\n" + tail(err.toString()));
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    /** Runs {@code command} in the guest shell and waits for it to finish. */
    Reply run(String command, int seconds) throws Exception {
        int n = ++commands;
        int from = out.length();
        send(command + "; echo @@" + n + "=$?\n");
        Pattern marker = Pattern.compile("@@" + n + "=(\\d+)");
        int end = await(marker, from, seconds);
        Matcher m = marker.matcher(out);
        m.find(from);
        return new Reply(Integer.parseInt(m.group(1)), out.substring(from, end));
    }

    /** Runs {@code command} and requires exit status 0; returns its output. */
    String ok(String command) throws Exception {
        Reply r = run(command, 120);
        assertThat(r.status()).as("exit status of '" + command + "':\n" + r.output()).isZero();
        return r.output();
    }

    void send(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    String stdout() {
        return out.toString();
    }

    String stderr() {
        return err.toString();
    }

    /** Powers the guest off and returns rivet's exit status. */
    int powerOff() throws Exception {
        send("poweroff -f\n");
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("rivet did not stop after poweroff");
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
