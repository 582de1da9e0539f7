package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompilerPriorityTest {
    private static final Path TASKS = Path.of("/proc/self/task");

    @Test
    void aMachinesTranslatorLowersHotSpotsCompilerThreadsAndNoOther() throws Exception {
        assumeTrue(Files.isDirectory(TASKS), "Linux's /proc");
        assertThat(JitConfig.forMachines().compilersBelowHarts()).isTrue();
        assertThat(JitConfig.defaults().compilersBelowHarts()).isFalse();
        int before = niceOf(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        try (Jit jit = new Jit(JitConfig.forMachines())) {
            assertThat(CompilerPriority.lowering()).isNotNull();
            CompilerPriority.lowering().get(10, java.util.concurrent.TimeUnit.SECONDS);
            Map<String, Integer> compilers = compilerThreadNices();
            assertThat(compilers).isNotEmpty();
            assertThat(compilers.values()).allMatch(nice -> nice == CompilerPriority.NICE);
            int after = niceOf(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            assertThat(after).isEqualTo(before);
        }
    }

    /** The nice value of every HotSpot compiler thread, by thread id. */
    private static Map<String, Integer> compilerThreadNices() throws IOException {
        Map<String, Integer> nices = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (java.nio.file.NoSuchFileException ended) {
                    continue; // a thread that ended since the listing (the lowering's own, say)
                }
                String tid = task.getFileName().toString();
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) nices.put(tid, niceOf(tid));
            }
        }
        return nices;
    }

    /** Field 19 of the thread's stat line (proc_pid_stat(5)), counted after the name in parentheses. */
    private static int niceOf(String tid) throws IOException {
        String stat = Files.readString(TASKS.resolve(tid).resolve("stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[19 - 3]);
    }
}
