package dev.rivet.dev.block;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Deallocates a byte range of a host file (Linux fallocate with FALLOC_FL_PUNCH_HOLE |
 * FALLOC_FL_KEEP_SIZE) through the foreign function API, so a discarded range of a raw image stops
 * taking disk space and reads as zeros. Where that is unavailable (another OS, a file system
 * without hole punching, native access denied) {@link #punch} says so and callers write zeros.
 */
final class HolePunch {
    private static final int O_WRONLY = 1, PUNCH_HOLE = 0x02, KEEP_SIZE = 0x01;
    private static final MethodHandle OPEN, FALLOCATE, CLOSE;

    static {
        MethodHandle open = null, fallocate = null, close = null;
        try {
            if (System.getProperty("os.name", "").equals("Linux")) {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                Optional<MemorySegment> o = libc.find("open"), f = libc.find("fallocate"), c = libc.find("close");
                if (o.isPresent() && f.isPresent() && c.isPresent()) {
                    open = linker.downcallHandle(o.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
                    fallocate = linker.downcallHandle(f.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                    close = linker.downcallHandle(c.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                }
            }
        } catch (Throwable e) {
            open = fallocate = close = null; // no native access: fall back to writing zeros
        }
        OPEN = open;
        FALLOCATE = fallocate;
        CLOSE = close;
    }

    private HolePunch() { }

    /** Punches a hole of {@code length} bytes at {@code offset} in {@code file}; false if not possible. */
    static boolean punch(Path file, long offset, long length) {
        if (FALLOCATE == null || length <= 0) return false;
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toAbsolutePath().toString()), O_WRONLY);
            if (fd < 0) return false;
            try {
                return (int) FALLOCATE.invokeExact(fd, PUNCH_HOLE | KEEP_SIZE, offset, length) == 0;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable e) {
            return false;
        }
    }
}
