package dev.rivet.jit;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Runs HotSpot's JIT compiler threads, which compile the translated regions (and Rivet itself), at
 * a lower scheduling priority than the threads that run guests. On a host with few cores a hart
 * shared them with C1, C2 and the translator: in a booted guest's 4 x 100 fork+exec the hart
 * thread waited 0.54-0.62 s for a core in about 4.5 s (its {@code schedstat}), against 0.29-0.36 s
 * with the compilers at nice 10. They still get every core the harts leave idle.
 *
 * <p>The translator's own thread keeps its priority: lowered too, a booted guest's shell loop,
 * whose user code waits for its regions, ran slower (bench/HISTORY.md).
 *
 * <p>Linux only, through {@code setpriority(2)} on each compiler thread (raising a thread's nice
 * value needs no privilege); elsewhere, or where native access is denied, nothing changes. The
 * compiler threads are the ones running when the first machine's translator is made ({@link
 * JitConfig#compilersBelowHarts}; not a program's: see {@link JitConfig#defaults}); on hosts with
 * many cores HotSpot may start more later, which keep the normal priority.
 */
final class CompilerPriority {
    private CompilerPriority() {}

    /** The nice value HotSpot's compiler threads run at (-Drivet.jit.nice; 0 leaves them as they are). */
    static final int NICE = Integer.getInteger("rivet.jit.nice", 10);
    /** {@code which} of setpriority(2): {@code who} is a process id, or on Linux a thread's. */
    private static final int PRIO_PROCESS = 0;
    /** The completion of the one lowering of the JVM's compiler threads, once started. */
    private static CompletableFuture<Void> background;

    /**
     * Starts {@link #lower} on a thread of its own, once per JVM: the foreign function API's first
     * downcall takes some 20 ms to set up, which a machine's start would otherwise wait for.
     */
    static synchronized void lowerInBackground() {
        if (background != null) return;
        CompletableFuture<Void> done = new CompletableFuture<>();
        background = done;
        Thread t = new Thread(() -> {
            try {
                lower();
            } finally {
                done.complete(null);
            }
        }, "rivet-compiler-priority");
        t.setDaemon(true);
        t.start();
    }

    /** The completion of {@link #lowerInBackground}, null while it has not been started. */
    static synchronized Future<Void> lowering() {
        return background;
    }

    private static MethodHandle setPriority() {
        try {
            if (!System.getProperty("os.name", "").equals("Linux")) return null;
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> f = linker.defaultLookup().find("setpriority");
            return f.isEmpty() ? null : linker.downcallHandle(f.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        } catch (RuntimeException | Error e) {
            return null; // no native access: priorities stay as they are
        }
    }

    /** Lowers HotSpot's compiler threads (named "C1 CompilerThread..." and "C2 CompilerThread...") to {@link #NICE}. */
    private static void lower() {
        if (NICE == 0) return;
        MethodHandle setPriority = setPriority();
        if (setPriority == null) return;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    // The kernel keeps 15 characters of a thread's name: "C2 CompilerThre".
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        int ignored = (int) setPriority.invokeExact(PRIO_PROCESS,
                                Integer.parseInt(task.getFileName().toString()), NICE);
                    }
                } catch (Throwable e) {
                    // The thread ended meanwhile, or may not be changed: it keeps its priority.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: the compilers keep their priority.
        }
    }
}
