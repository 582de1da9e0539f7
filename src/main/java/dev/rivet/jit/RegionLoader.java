package dev.rivet.jit;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessFlag;

/**
 * Defines the classes of translated regions: hidden classes, a batch of {@link #BATCH} in each
 * class loader of its own, held strongly by it, so that a batch is unloaded once none of its
 * regions is referenced any more (the code cache dropped them and no jump cache holds them).
 *
 * <p>Not a class loader data per class, as a hidden class defined without {@code STRONG} gets:
 * HotSpot places such a class's metadata at the start of a fresh metaspace chunk, so every region's
 * class structure began on a 1 KiB boundary, and the dispatcher's virtual call of a region,
 * which reads the class's method table, hit the same few data cache sets for every region: with
 * 65 regions called in turn ({@code bench/src/calls.c}) those reads missed every time. In a
 * batch the classes lie one after another.
 */
final class RegionLoader extends ClassLoader {
    /** Regions per loader: their classes are unloaded together, when the last of them goes. */
    static final int BATCH = 32;

    /**
     * -Drivet.jit.visible=true defines ordinary classes in Rivet's own loader instead, so that
     * profilers (JFR) show translated code in stack traces; they are never unloaded.
     */
    static final boolean VISIBLE = Boolean.getBoolean("rivet.jit.visible");

    private static final String ANCHOR = "dev.rivet.jit.RegionBatch";
    private static final MethodType NO_ARGS = MethodType.methodType(void.class);

    private static RegionLoader current;
    private static int defined;

    private final MethodHandles.Lookup lookup;

    private RegionLoader() {
        super("rivet-regions", RegionLoader.class.getClassLoader());
        byte[] anchor = anchorClass();
        try {
            Class<?> c = defineClass(ANCHOR, anchor, 0, anchor.length);
            lookup = (MethodHandles.Lookup) c.getMethod("lookup").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a loader for translated regions", e);
        }
    }

    /** Defines the region class {@code bytes} (of package dev.rivet.jit) and makes its one instance. */
    static CompiledRegion load(byte[] bytes) {
        try {
            MethodHandles.Lookup made = VISIBLE ? visible(bytes)
                    : nextInBatch().defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.STRONG);
            return (CompiledRegion) made.findConstructor(made.lookupClass(), NO_ARGS).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot load a translated region", t);
        }
    }

    /** The lookup of the loader whose batch the next region joins (a new loader when the last is full). */
    private static synchronized MethodHandles.Lookup nextInBatch() {
        if (current == null || defined == BATCH) {
            current = new RegionLoader();
            defined = 0;
        }
        defined++;
        return current.lookup;
    }

    /** An ordinary class in Rivet's own loader, for {@link #VISIBLE}. */
    private static MethodHandles.Lookup visible(byte[] bytes) throws IllegalAccessException {
        MethodHandles.Lookup own = MethodHandles.lookup();
        return own.in(own.defineClass(bytes));
    }

    /**
     * The class each loader defines first, whose {@code lookup()} gives a full-privilege lookup
     * in the loader's dev.rivet.jit package: what defines the batch's hidden classes there.
     */
    private static byte[] anchorClass() {
        ClassDesc lookupType = ClassDesc.of("java.lang.invoke.MethodHandles$Lookup");
        MethodTypeDesc returnsLookup = MethodTypeDesc.of(lookupType);
        return ClassFile.of().build(ClassDesc.of(ANCHOR), clb -> {
            clb.withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL, AccessFlag.SUPER);
            clb.withMethodBody("lookup", returnsLookup, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, cb -> {
                cb.invokestatic(ClassDesc.of("java.lang.invoke.MethodHandles"), "lookup", returnsLookup);
                cb.areturn();
            });
        });
    }
}
