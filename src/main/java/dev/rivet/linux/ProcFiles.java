package dev.rivet.linux;

import static dev.rivet.linux.fs.DirentEncoder.DT_DIR;
import static dev.rivet.linux.fs.DirentEncoder.DT_LNK;
import static dev.rivet.linux.fs.DirentEncoder.DT_REG;

import dev.rivet.linux.fs.DirentEncoder.Entry;
import dev.rivet.linux.fs.Mount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A minimal {@code /proc}: {@code self}, one directory per process (exe, cwd, root, fd/, cmdline,
 * comm, stat, status, maps, mounts), and the system files cpuinfo, meminfo, uptime, version,
 * loadavg and mounts. Everything is generated from the sandbox's own state when looked up.
 */
final class ProcFiles {
    private static final List<String> SYSTEM_FILES = List.of("cpuinfo", "loadavg", "meminfo", "mounts", "uptime", "version");
    private static final List<String> PROCESS_FILES =
            List.of("cmdline", "comm", "cwd", "exe", "fd", "maps", "mounts", "root", "stat", "status");

    private final Kernel kernel;

    ProcFiles(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The node for canonical components starting with "proc", seen by thread {@code t}. */
    VNode.Dir root(GuestThread t) {
        return new VNode.Dir("/proc", 0, () -> rootEntries(), name -> rootChild(t, name));
    }

    private List<Entry> rootEntries() {
        List<Entry> out = dots("/proc");
        out.add(new Entry("self", VNode.ino("/proc/self"), DT_LNK));
        for (String f : SYSTEM_FILES) out.add(new Entry(f, VNode.ino("/proc/" + f), DT_REG));
        for (int pid : new TreeSet<>(kernel.processes.keySet())) {
            out.add(new Entry(Integer.toString(pid), VNode.ino("/proc/" + pid), DT_DIR));
        }
        return out;
    }

    private VNode rootChild(GuestThread t, String name) {
        int uid = kernel.creds.uid();
        if (name.equals("self")) {
            int pid = t.process.pid;
            return new VNode.Link("/proc/self", uid, Integer.toString(pid), "/proc/" + pid, null);
        }
        if (name.equals("mounts")) return new VNode.Link("/proc/mounts", 0, "self/mounts", "/proc/self/mounts", null);
        if (SYSTEM_FILES.contains(name)) return new VNode.Content("/proc/" + name, 0, () -> bytes(system(name)));
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 10) {
            GuestProcess p = kernel.processes.get(Integer.parseInt(name));
            if (p != null) return process(p);
        }
        return null;
    }

    private VNode.Dir process(GuestProcess p) {
        String dir = "/proc/" + p.pid;
        return new VNode.Dir(dir, kernel.creds.uid(), () -> {
            List<Entry> out = dots(dir);
            for (String f : PROCESS_FILES) {
                int type = f.equals("fd") ? DT_DIR : List.of("cwd", "exe", "root").contains(f) ? DT_LNK : DT_REG;
                out.add(new Entry(f, VNode.ino(dir + "/" + f), type));
            }
            return out;
        }, name -> processChild(p, dir, name));
    }

    private VNode processChild(GuestProcess p, String dir, String name) {
        int uid = kernel.creds.uid();
        String path = dir + "/" + name;
        return switch (name) {
            case "exe" -> p.execPath == null ? null : new VNode.Link(path, uid, p.execPath, p.execPath, null);
            case "cwd" -> new VNode.Link(path, uid, p.cwd, p.cwd, null);
            case "root" -> new VNode.Link(path, uid, "/", "/", null);
            case "fd" -> new VNode.Dir(path, uid, () -> fdEntries(p, path), n -> fdLink(p, path, n));
            case "cmdline", "comm", "stat", "status", "maps", "mounts" ->
                    new VNode.Content(path, uid, () -> bytes(processFile(p, name)));
            default -> null;
        };
    }

    private List<Entry> fdEntries(GuestProcess p, String path) {
        List<Entry> out = dots(path);
        for (int fd : p.fds.openDescriptors()) out.add(new Entry(Integer.toString(fd), VNode.ino(path + "/" + fd), DT_LNK));
        return out;
    }

    private VNode fdLink(GuestProcess p, String dir, String name) {
        try {
            OpenFile f = p.fds.get(Integer.parseInt(name));
            return new VNode.Link(dir + "/" + name, kernel.creds.uid(), f.guestPath(), null, f);
        } catch (NumberFormatException | GuestError e) {
            return null;
        }
    }

    private static List<Entry> dots(String dir) {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry(".", VNode.ino(dir), DT_DIR));
        out.add(new Entry("..", VNode.ino(dir.substring(0, dir.lastIndexOf('/') + 1)), DT_DIR));
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long totalMemory() {
        long max = kernel.options.maxMemoryBytes();
        return max > 0 ? max : Runtime.getRuntime().maxMemory();
    }

    private String system(String name) {
        StringBuilder sb = new StringBuilder();
        switch (name) {
            case "cpuinfo" -> {
                for (int i = 0; i < InfoCalls.CPUS; i++) {
                    sb.append("processor\t: ").append(i).append("\nhart\t\t: ").append(i)
                            .append("\nisa\t\t: rv64imafdc_zba_zbb_zbs\nmmu\t\t: sv39\nuarch\t\t: rivet\n")
                            .append("mvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n");
                }
            }
            case "meminfo" -> {
                long total = totalMemory() >> 10, free = Math.max(0, totalMemory() - kernel.memoryBudget.residentBytes()) >> 10;
                String[][] rows = {{"MemTotal", "" + total}, {"MemFree", "" + free}, {"MemAvailable", "" + free},
                    {"Buffers", "0"}, {"Cached", "0"}, {"SwapCached", "0"}, {"SwapTotal", "0"}, {"SwapFree", "0"},
                    {"Shmem", "0"}};
                for (String[] r : rows) sb.append(String.format(Locale.ROOT, "%-15s %8s kB%n", r[0] + ":", r[1]));
            }
            case "uptime" -> {
                double up = (System.nanoTime() - kernel.startNanos) / 1e9;
                sb.append(String.format(Locale.ROOT, "%.2f %.2f%n", up, up * InfoCalls.CPUS));
            }
            case "version" -> sb.append("Linux version 6.1.0-rivet (rivet@rivet) (gcc) #1 SMP rivet\n");
            case "loadavg" -> sb.append("0.00 0.00 0.00 1/").append(kernel.threads.size()).append(' ')
                    .append(kernel.processes.keySet().stream().mapToInt(Integer::intValue).max().orElse(1)).append('\n');
            default -> { }
        }
        return sb.toString();
    }

    private String processFile(GuestProcess p, String name) {
        StringBuilder sb = new StringBuilder();
        int ppid = p.parent == null ? 0 : p.parent.pid;
        int threads = p.liveThreads().size();
        switch (name) {
            case "cmdline" -> p.argv.forEach(a -> sb.append(a).append('\0'));
            case "comm" -> sb.append(p.comm).append('\n');
            case "stat" -> {
                long vsize = 0;
                for (Vma v : p.space.mappings()) vsize += v.end - v.start;
                // Fields 1-52 of proc(5); times, faults and addresses are not tracked and read as 0.
                sb.append(p.pid).append(" (").append(p.comm).append(") ").append(p.zombie ? 'Z' : 'R').append(' ')
                        .append(ppid).append(' ').append(p.pgid).append(' ').append(p.sid)
                        .append(" 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 ").append(threads).append(" 0 0 ").append(vsize)
                        .append(' ').append(kernel.memoryBudget.residentBytes() >> 12)
                        .append(" 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
            }
            case "status" -> {
                int uid = kernel.creds.uid(), gid = kernel.creds.gid();
                sb.append("Name:\t").append(p.comm).append("\nUmask:\t").append(String.format("%04o", p.umask))
                        .append("\nState:\t").append(p.zombie ? "Z (zombie)" : "R (running)")
                        .append("\nTgid:\t").append(p.pid).append("\nPid:\t").append(p.pid)
                        .append("\nPPid:\t").append(ppid).append("\nUid:\t").append(uid).append('\t').append(uid)
                        .append('\t').append(uid).append('\t').append(uid).append("\nGid:\t").append(gid).append('\t')
                        .append(gid).append('\t').append(gid).append('\t').append(gid)
                        .append("\nFDSize:\t").append(FdTable.MAX_FDS)
                        .append("\nVmRSS:\t").append(kernel.memoryBudget.residentBytes() >> 10).append(" kB")
                        .append("\nThreads:\t").append(threads).append('\n');
            }
            case "maps" -> {
                for (Vma v : p.space.mappings()) {
                    sb.append(String.format(Locale.ROOT, "%08x-%08x %c%c%c%c %08x 00:00 0", v.start, v.end,
                            v.allows(Vma.PROT_READ) ? 'r' : '-', v.allows(Vma.PROT_WRITE) ? 'w' : '-',
                            v.allows(Vma.PROT_EXEC) ? 'x' : '-', v.shared ? 's' : 'p', v.fileOffset));
                    if (v.name != null && !v.name.isEmpty()) sb.append("    ").append(v.name);
                    sb.append('\n');
                }
            }
            case "mounts" -> {
                for (Mount m : kernel.fs.mounts().reversed()) {
                    sb.append("rivet ").append(m.guest()).append(" rivetfs ").append(m.readOnly() ? "ro" : "rw")
                            .append(" 0 0\n");
                }
                sb.append("proc /proc proc rw 0 0\n");
            }
            default -> { }
        }
        return sb.toString();
    }
}
