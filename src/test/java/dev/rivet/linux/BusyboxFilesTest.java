package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Busybox's file utilities in a sandbox whose root holds {@code /bin/busybox} and one symlink per
 * applet, run through {@code sh -c} with PATH=/bin: the system calls as real programs use them.
 */
class BusyboxFilesTest {
    static final Path BUSYBOX = Path.of("/work/shared/guest/busybox.rv64");
    static final List<String> APPLETS = List.of("sh", "ls", "cat", "cp", "mv", "rm", "mkdir", "find", "sort", "wc",
            "head", "tail", "sed", "tar", "echo", "printf", "touch", "mkfifo", "stat", "ln", "readlink", "cut", "tr",
            "xargs", "rmdir", "chmod", "du");

    @TempDir Path root;

    @BeforeEach
    void makeRoot() throws Exception {
        assumeTrue(Files.isRegularFile(BUSYBOX), "reference busybox not present");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        bin.resolve("busybox").toFile().setExecutable(true);
        for (String a : APPLETS) Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
        Files.createDirectories(root.resolve("tmp"));
    }

    private String sh(String script) throws Exception {
        GuestRun.Result r = GuestRun.run(root, List.of(), "", "/", "/bin/sh", "-c", script);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).as("exit status; output:\n%s", r.out()).isZero();
        return r.out();
    }

    @Test
    void lsLongListing() throws Exception {
        Files.createDirectories(root.resolve("data/dir"));
        Files.writeString(root.resolve("data/file"), "12345");
        Files.createSymbolicLink(root.resolve("data/link"), Path.of("file"));
        List<String> lines = sh("ls -la /data").lines().toList();
        assertThat(lines.getFirst()).startsWith("total ");
        assertThat(lines.subList(1, lines.size())).satisfiesExactly(
                l -> assertThat(l).matches("drwx.* \\.$"),
                l -> assertThat(l).matches("drwx.* \\.\\.$"),
                l -> assertThat(l).matches("drwx.* dir$"),
                l -> assertThat(l).matches("-rw.* 1 .* 5 .* file$"),
                l -> assertThat(l).matches("lrwxrwxrwx .* link -> file$"));
    }

    @Test
    void copyMoveRemove() throws Exception {
        String out = sh("cd /tmp && echo hello > f && cp f g && mv g h && cat h && rm f && ls && cat /tmp/h /tmp/h | wc -c");
        assertThat(out).isEqualTo("hello\nh\n12\n");
        assertThat(root.resolve("tmp/h")).hasContent("hello");
        assertThat(root.resolve("tmp/f")).doesNotExist();
    }

    @Test
    void mkdirFindAndRecursiveRemove() throws Exception {
        String out = sh("mkdir -p /tmp/x/y/z && touch /tmp/x/y/z/f /tmp/x/a && find /tmp/x | sort"
                + " && find /tmp/x -type f | sort && rm -r /tmp/x && ls -a /tmp");
        assertThat(out).isEqualTo("""
                /tmp/x
                /tmp/x/a
                /tmp/x/y
                /tmp/x/y/z
                /tmp/x/y/z/f
                /tmp/x/a
                /tmp/x/y/z/f
                .
                ..
                """);
        assertThat(root.resolve("tmp/x")).doesNotExist();
    }

    @Test
    void textTools() throws Exception {
        String out = sh("printf 'c\\nb\\na\\nd\\n' > /tmp/l; sort /tmp/l | head -2; tail -1 /tmp/l; wc -l < /tmp/l;"
                + " echo one two > /tmp/s && sed -i s/one/three/ /tmp/s && cat /tmp/s; cut -c1-3 /tmp/s | tr a-z A-Z");
        assertThat(out).isEqualTo("a\nb\nd\n4\nthree two\nTHR\n");
        assertThat(root.resolve("tmp/s")).hasContent("three two");
    }

    @Test
    void tarRoundTrip() throws Exception {
        String out = sh("cd /tmp && mkdir -p d/e && echo one > d/1 && echo two > d/e/2 && ln -s 1 d/l"
                + " && tar cf x.tar d && rm -r d && tar tf x.tar | sort && tar xf x.tar && cat d/1 d/e/2 && readlink d/l");
        assertThat(out).isEqualTo("d/\nd/1\nd/e/\nd/e/2\nd/l\none\ntwo\n1\n");
        assertThat(root.resolve("tmp/d/e/2")).hasContent("two");
    }

    @Test
    void pipelinesFifosAndProc() throws Exception {
        String out = sh("ls /bin | wc -l; mkfifo /tmp/ff && stat -c %F /tmp/ff && (echo via fifo > /tmp/ff &) ;"
                + " cat /tmp/ff; readlink /proc/self/exe; echo err 2>/dev/null >&2; ls /proc/self/fd | xargs echo;"
                + " echo to-null > /dev/null; chmod 640 /tmp/ff && stat -c %a /tmp/ff");
        assertThat(out).isEqualTo((APPLETS.size() + 1) + "\nfifo\nvia fifo\n/bin/busybox\n0 1 2 3\n640\n");
    }
}
