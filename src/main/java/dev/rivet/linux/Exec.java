package dev.rivet.linux;

import dev.rivet.elf.ElfException;
import dev.rivet.elf.ElfFile;
import dev.rivet.linux.fs.Resolved;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loading a program into a process: the first program of a sandbox and every execve. Follows
 * Linux's binfmt handlers: ELF executables, and {@code #!} scripts run by their interpreter.
 */
final class Exec {
    private static final int MAX_SCRIPT_DEPTH = 4;

    private Exec() {}

    /** Reads a guest file that is to be executed, checking it is a regular, executable file. */
    static byte[] readExecutable(GuestProcess p, String path) {
        // The one /proc path programs execute (busybox re-runs itself through it).
        if (path.equals("/proc/self/exe") && p.execPath != null) path = p.execPath;
        Resolved r = p.kernel.fs.resolve(p.cwd, path, true).requireExists();
        if (Files.isDirectory(r.host(), LinkOption.NOFOLLOW_LINKS)) throw new GuestError(Errno.EACCES);
        if (!Files.isRegularFile(r.host(), LinkOption.NOFOLLOW_LINKS)) throw new GuestError(Errno.EACCES);
        if (!Files.isExecutable(r.host())) throw new GuestError(Errno.EACCES);
        try {
            return Files.readAllBytes(r.host());
        } catch (IOException e) {
            throw new GuestError(Errno.EIO);
        }
    }

    /** The parsed program to run, after following {@code #!} lines, with the argv it gets. */
    record Program(ElfFile elf, String path, List<String> argv) {}

    static Program resolve(GuestProcess p, String path, List<String> argv) throws ElfException {
        for (int depth = 0; depth <= MAX_SCRIPT_DEPTH; depth++) {
            byte[] bytes = readExecutable(p, path);
            if (bytes.length >= 2 && bytes[0] == '#' && bytes[1] == '!') {
                int end = 2;
                while (end < bytes.length && end < 256 && bytes[end] != '\n') end++;
                String line = new String(bytes, 2, end - 2, StandardCharsets.UTF_8).strip();
                if (line.isEmpty()) throw new GuestError(Errno.ENOEXEC);
                String[] parts = line.split("[ \t]+", 2);
                List<String> next = new ArrayList<>();
                next.add(parts[0]);
                if (parts.length > 1) next.add(parts[1]);
                next.add(path);
                if (argv.size() > 1) next.addAll(argv.subList(1, argv.size()));
                argv = next;
                path = parts[0];
                continue;
            }
            return new Program(ElfFile.parse(bytes, path), path, argv);
        }
        throw new GuestError(Errno.ELOOP);
    }

    static void start(GuestProcess p, GuestThread t, Program prog, List<String> envp, AddressSpace space)
            throws ElfException {
        Kernel k = p.kernel;
        ProgramLoader.Start start = ProgramLoader.load(space, prog.elf(), prog.path(), prog.argv(), envp,
                guestPath -> readExecutableForLoader(p, guestPath), k.creds, k.random);
        p.execPath = canonicalPath(p, prog.path());
        p.argv = List.copyOf(prog.argv());
        String base = prog.path().substring(prog.path().lastIndexOf('/') + 1);
        p.comm = base.length() > 15 ? base.substring(0, 15) : base;
        java.util.Arrays.fill(t.hart.x, 0);
        java.util.Arrays.fill(t.hart.f, 0);
        t.hart.fflags = 0;
        t.hart.frm = 0;
        t.hart.pc = start.pc();
        t.hart.x[2] = start.sp();
    }

    /** The program's canonical guest path, as /proc/self/exe shows it (links resolved). */
    private static String canonicalPath(GuestProcess p, String path) {
        try {
            Resolved r = p.kernel.fs.resolve(p.cwd, path, true);
            return r.exists() ? r.guestPath() : path;
        } catch (GuestError e) {
            return path;
        }
    }

    private static byte[] readExecutableForLoader(GuestProcess p, String guestPath) {
        Resolved r = p.kernel.fs.resolve(p.cwd, guestPath, true).requireExists();
        try {
            return Files.readAllBytes(r.host());
        } catch (IOException e) {
            throw new GuestError(Errno.EIO);
        }
    }
}
