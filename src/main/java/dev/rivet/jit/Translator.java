package dev.rivet.jit;

import dev.rivet.mem.Page;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Turns the hot code of a page into a loaded {@link CompiledRegion}: finds the region, generates
 * its class, and defines it as a hidden class (unloadable once its page drops it). Regions whose
 * method would be too large for HotSpot to compile are retried with fewer instructions.
 */
final class Translator {
    private Translator() {}

    /**
     * HotSpot does not compile methods over 8000 bytecode bytes (HugeMethodLimit), and its C1
     * compiler gives up on large methods full of long values (out of virtual registers) long
     * before that, leaving them to the JVM's own interpreter; larger regions also spill more in
     * C2. 2800 bytes measured best over the benchmarks (sha256 prefers smaller, matmul larger).
     */
    static final int CODE_LIMIT = Integer.getInteger("rivet.jit.bytes", 2800);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodType NO_ARGS = MethodType.methodType(void.class);
    /**
     * -Drivet.jit.visible=true defines ordinary classes instead of hidden ones, so that profilers
     * (JFR) show translated code in stack traces; they are never unloaded.
     */
    private static final boolean VISIBLE = Boolean.getBoolean("rivet.jit.visible");
    private static final java.util.concurrent.atomic.AtomicLong SERIAL = new java.util.concurrent.atomic.AtomicLong();

    static final java.util.concurrent.atomic.LongAdder LOAD_NANOS = new java.util.concurrent.atomic.LongAdder();

    /** A loaded region and the slots (page offset / 2) where it can be entered. */
    record Result(CompiledRegion region, int[] slots) {}

    /**
     * Translates the code reachable from {@code entries} (byte offsets); null if there is none (the
     * entries start with instructions left to the interpreter, such as ecall).
     */
    static Result translate(Page page, int[] entries, int maxInstructions) {
        int max = maxInstructions;
        while (true) {
            Region region = Region.build(page.data, entries, max);
            if (region.blocks.isEmpty()) return null;
            String name = "dev.rivet.jit.Translated" + (VISIBLE ? "$" + SERIAL.incrementAndGet() : "");
            RegionCompiler.Output out = RegionCompiler.compile(region, name);
            if (out.codeLength() > CODE_LIMIT) {
                if (max <= 8) throw new IllegalStateException("region too large even at " + max + " instructions");
                // Shrink in proportion to the overshoot (and a little more), not by half: the
                // region keeps as much of the hot code as the limit allows.
                max = Math.min(region.instructions - 1,
                        (int) ((long) region.instructions * CODE_LIMIT * 9 / 10 / out.codeLength()));
                continue;
            }
            dump(out.classBytes());
            long t1 = System.nanoTime();
            CompiledRegion r = load(out.classBytes());
            LOAD_NANOS.add(System.nanoTime() - t1);
            r.trapPc = out.trapPc();
            r.trapUndo = out.trapUndo();
            r.instructions = region.instructions;
            r.covered = region.covered();
            r.codeLength = out.codeLength();
            int[] slots = region.entries.stream().mapToInt(off -> off >>> 1).toArray();
            return new Result(r, slots);
        }
    }

    /** -Drivet.jit.dump=DIR writes each generated class to DIR (for javap -c). */
    private static final String DUMP = System.getProperty("rivet.jit.dump");

    private static void dump(byte[] bytes) {
        if (DUMP == null) return;
        try {
            java.nio.file.Files.write(java.nio.file.Path.of(DUMP, "region" + SERIAL.incrementAndGet() + ".class"), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CompiledRegion load(byte[] bytes) {
        try {
            if (VISIBLE) {
                Class<?> c = LOOKUP.defineClass(bytes);
                return (CompiledRegion) LOOKUP.findConstructor(c, NO_ARGS).invoke();
            }
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
            return (CompiledRegion) hidden.findConstructor(hidden.lookupClass(), NO_ARGS).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot load a translated region", t);
        }
    }
}
