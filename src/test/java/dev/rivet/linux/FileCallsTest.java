package dev.rivet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.linux.fs.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system calls end to end: small static C programs (test resources {@code files/*.c}) run
 * in a sandbox whose root is a fresh temporary directory; the programs are mounted read-only at
 * {@code /t}. Each program checks errno-level details itself (printing FAIL lines) and prints the
 * observable results the test compares.
 */
class FileCallsTest {
    @TempDir static Path programs;
    @TempDir Path tmp;
    Path root, outside;

    @BeforeAll
    static void compile() throws Exception {
        GuestRun.assumeCompiler();
        Files.write(programs.resolve("check.h"),
                FileCallsTest.class.getResourceAsStream("files/check.h").readAllBytes());
        for (String name : List.of("io", "dirs", "pipes", "proc", "sandbox", "mapped")) GuestRun.compile(name, programs);
    }

    /** Removes the guest's links to absolute paths, which JUnit's cleanup would warn about. */
    @AfterEach
    void removeLinks() throws Exception {
        try (var walk = Files.walk(tmp)) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) Files.delete(p);
        }
    }

    @BeforeEach
    void makeRoot() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("home"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "guest-passwd\n");
        Files.createDirectories(root.resolve("ro"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host secret\n");
        Files.writeString(outside.resolve("file"), "read-only data\n");
    }

    private GuestRun.Result run(String... argv) throws Exception {
        List<Mount> mounts = List.of(new Mount(programs, "/t", true), new Mount(outside, "/ro", true));
        return GuestRun.run(root, mounts, "", "/", argv);
    }

    @Test
    void regularFileIo() throws Exception {
        GuestRun.Result r = run("/t/io");
        assertThat(r.out()).isEqualTo("content: HELLO world\ncopied: bcdefgabc\nok\n");
        assertThat(r.status()).isZero();
        assertThat(root.resolve("tmp/a.txt")).hasContent("HELLO world\nmore");
        assertThat(Files.size(root.resolve("tmp/big"))).isEqualTo(3 << 20);
    }

    @Test
    void directoriesLinksAndMetadata() throws Exception {
        GuestRun.Result r = run("/t/dirs");
        assertThat(r.out()).isEqualTo("""
                sub: ./ ../ alpha link@ mid/ zeta
                /tmp/w: ./ ../ dangling@ hard many/ node nowhere sub/
                ok
                """);
        assertThat(r.status()).isZero();
        assertThat(Files.readSymbolicLink(root.resolve("tmp/w/sub/link")).toString()).isEqualTo("alpha");
        assertThat(Files.isSameFile(root.resolve("tmp/w/hard"), root.resolve("tmp/w/sub/alpha"))).isTrue();
    }

    @Test
    void pipesFifosAndSigpipe() throws Exception {
        GuestRun.Result r = run("/t/pipes");
        assertThat(r.out()).isEqualTo("got: through pipe\nfifo: via fifo\nok\n");
        assertThat(r.status()).isZero();
    }

    @Test
    void procAndDevFiles() throws Exception {
        GuestRun.Result r = run("/t/proc", "one", "two");
        assertThat(r.out()).isEqualTo("""
                exe: /t/proc
                fd 3: /t/proc
                cmdline: /t/proc|one|two|
                isa\t\t: rv64imafdc_zba_zbb_zbs
                Name:\tproc
                """ + r.out().lines().filter(l -> l.startsWith("MemTotal:")).findFirst().orElse("MemTotal missing")
                + "\nstdout link\nok\n");
        assertThat(r.out()).containsPattern("MemTotal: +[1-9][0-9]* kB");
    }

    @Test
    void guestCannotReachHostFiles() throws Exception {
        GuestRun.Result r = run("/t/sandbox", outside.resolve("secret").toString());
        assertThat(r.out()).isEqualTo("""
                ../../../../etc/passwd: guest-passwd
                /../../etc/passwd: guest-passwd
                pw: guest-passwd
                up: guest-passwd
                host: errno 2
                /ro/file: read-only data
                ok
                """);
        assertThat(outside.resolve("file")).hasContent("read-only data");
        assertThat(root.resolve("home/pw")).isSymbolicLink();
    }

    @Test
    void memfdAndFileMappings() throws Exception {
        GuestRun.Result r = run("/t/mapped");
        assertThat(r.out()).isEqualTo("mapped file\nok\n");
    }
}
