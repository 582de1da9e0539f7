package dev.rivet.jit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.ref.WeakReference;
import java.lang.reflect.AccessFlag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regions' classes are hidden classes, a batch to a class loader, and a batch is unloaded once
 * none of its regions is referenced: the bound on translated code holds for the classes too.
 */
class RegionLoaderTest {
    /** A region class that returns at once: run gives back (PC_SET, limit), nothing retired. */
    private static byte[] emptyRegion() {
        return ClassFile.of().build(ClassDesc.of("dev.rivet.jit.Translated"), clb -> {
            clb.withFlags(AccessFlag.FINAL, AccessFlag.SUPER);
            clb.withSuperclass(RegionCompiler.BASE);
            clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, 0, cb -> {
                cb.aload(0);
                cb.invokespecial(RegionCompiler.BASE, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void);
                cb.return_();
            });
            clb.withMethodBody("run", RegionCompiler.RUN, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, cb -> {
                cb.ldc((long) CompiledRegion.PC_SET << 32);
                cb.iload(5);
                cb.i2l();
                cb.lor();
                cb.lreturn();
            });
        });
    }

    @Test
    void regionsAreHiddenClassesABatchToALoader() {
        List<CompiledRegion> regions = new ArrayList<>();
        for (int i = 0; i < 2 * RegionLoader.BATCH; i++) regions.add(RegionLoader.load(emptyRegion()));
        assertThat(regions).allSatisfy(r -> assertThat(r.getClass().isHidden()).isTrue());
        assertThat(regions.get(0).run(null, 0, 0, 7)).isEqualTo((long) CompiledRegion.PC_SET << 32 | 7);
        long loaders = regions.stream().map(r -> r.getClass().getClassLoader()).distinct().count();
        // Two full batches, unless the first began with another test's regions.
        assertThat(loaders).isBetween(2L, 3L);
        assertThat(regions.get(0).getClass().getClassLoader()).isNotEqualTo(RegionLoader.class.getClassLoader());
    }

    /**
     * Of two batches' worth of region classes, a whole batch at least is this test's alone (the
     * first may be shared with regions defined earlier in this JVM, which may still be
     * referenced): once none is referenced, that many classes are unloaded.
     */
    @Test
    void aBatchWhoseRegionsAreGoneIsUnloaded() throws InterruptedException {
        List<WeakReference<Class<?>>> classes = new ArrayList<>();
        for (int i = 0; i < 2 * RegionLoader.BATCH; i++) {
            classes.add(new WeakReference<>(RegionLoader.load(emptyRegion()).getClass()));
        }
        // Another batch's worth, so that the loader being filled (held for the next region) is not ours.
        for (int i = 0; i < RegionLoader.BATCH; i++) RegionLoader.load(emptyRegion());
        long unloaded = 0;
        for (int gc = 0; gc < 10 && unloaded < RegionLoader.BATCH; gc++) {
            System.gc();
            Thread.sleep(20);
            unloaded = classes.stream().filter(c -> c.get() == null).count();
        }
        assertThat(unloaded).as("region classes unloaded of %d unreferenced", classes.size())
                .isGreaterThanOrEqualTo(RegionLoader.BATCH);
    }
}
