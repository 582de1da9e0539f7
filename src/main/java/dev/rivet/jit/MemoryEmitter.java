package dev.rivet.jit;

import static dev.rivet.jit.Gen.*;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/**
 * Loads and stores with the TLB fast path inlined: {@link Memory#page8} and friends find the page,
 * and the access is a {@code MemorySegment} get or set on it, which HotSpot inlines down to one
 * machine load or store. A miss, a page-crossing access or a device goes to {@code Hart.load} /
 * {@code Hart.store}. Only the slow store path can reach a page holding code (such pages are never
 * in the write TLB), so only it checks for self-modifying code.
 */
final class MemoryEmitter {
    private MemoryEmitter() {}

    static final ClassDesc SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    static final ClassDesc SEGMENT_ARRAY = SEGMENT.arrayType();
    private static final ClassDesc MEMORY = ClassDesc.of(Memory.class.getName());

    /** How a loaded value is widened to 64 bits. */
    enum Widen { SIGNED, UNSIGNED }

    /**
     * Loads {@code size} bytes at x[rs1] + imm, widened, into x[rd] ({@code toF} false) or f[rd]
     * ({@code toF}; a 4-byte value is NaN-boxed).
     */
    static void load(Gen g, int rs1, int imm, int size, Widen widen, boolean toF, int rd) {
        CodeBuilder cb = g.cb;
        Label slow = cb.newLabel(), done = cb.newLabel();
        int target = toF ? T2 : rd == 0 ? -1 : reg(rd);
        g.address(rs1, imm);
        cb.lstore(T1);
        page(g, size, RTAG, RDATA);
        cb.ifnull(slow);
        cb.aload(SEG);
        layout(cb, size);
        offset(cb);
        cb.invokeinterface(SEGMENT, "get", MethodTypeDesc.ofDescriptor("(" + layoutType(size) + "J)" + primitive(size)));
        if (size == 8) {
            // nothing to widen
        } else if (widen == Widen.SIGNED) {
            cb.i2l();
        } else {
            cb.i2l();
            cb.loadConstant(size == 1 ? 0xffL : size == 2 ? 0xffffL : 0xffffffffL);
            cb.land();
        }
        put(cb, target);
        cb.goto_(done);
        g.bind(slow);
        cb.aload(H);
        cb.lload(T1);
        cb.loadConstant(size);
        g.invokeHart("load", "(JI)J");
        if (widen == Widen.SIGNED && size < 8) {
            cb.l2i();
            if (size == 1) cb.i2b();
            if (size == 2) cb.i2s();
            cb.i2l();
        }
        put(cb, target);
        g.bind(done);
        // A label may follow at once (the next block); two frames at one offset are not allowed.
        cb.nop();
        if (toF) {
            cb.aload(FS);
            cb.loadConstant(rd);
            cb.lload(T2);
            if (size == 4) {
                cb.l2i();
                g.invokeStatic(FPU, "box", "(I)J");
            }
            cb.lastore();
        }
    }

    /** Stores the low {@code size} bytes of x[rs2] ({@code fromF} false) or f[rs2] at x[rs1] + imm. */
    static void store(Gen g, int rs1, int imm, int size, boolean fromF, int rs2, int length) {
        CodeBuilder cb = g.cb;
        Label slow = cb.newLabel(), done = cb.newLabel();
        g.address(rs1, imm);
        cb.lstore(T1);
        page(g, size, WTAG, WDATA);
        cb.ifnull(slow);
        cb.aload(SEG);
        layout(cb, size);
        offset(cb);
        value(g, fromF, rs2);
        if (size < 8) {
            cb.l2i();
            if (size == 1) cb.i2b();
            if (size == 2) cb.i2s();
        }
        cb.invokeinterface(SEGMENT, "set", MethodTypeDesc.ofDescriptor("(" + layoutType(size) + "J" + primitive(size) + ")V"));
        cb.goto_(done);
        g.bind(slow);
        cb.aload(H);
        cb.lload(T1);
        cb.loadConstant(size);
        value(g, fromF, rs2);
        g.invokeHart("store", "(JIJ)V");
        cb.aload(H);
        g.invokeStatic(ACCESS, "codeDropped", "(Ldev/rivet/cpu/Hart;)Z");
        cb.ifne(g.exitAfter(length));
        g.bind(done);
        cb.nop();
    }

    /** SEG = the TLB page of the access at T1, and leaves it on the stack (null on a miss). */
    private static void page(Gen g, int size, int tags, int pages) {
        CodeBuilder cb = g.cb;
        cb.aload(tags);
        cb.aload(pages);
        cb.lload(T1);
        cb.invokestatic(MEMORY, "page" + size,
                MethodTypeDesc.of(SEGMENT, LONG_ARRAY, SEGMENT_ARRAY, java.lang.constant.ConstantDescs.CD_long));
        cb.dup();
        cb.astore(SEG);
    }

    private static void offset(CodeBuilder cb) {
        cb.lload(T1);
        cb.loadConstant(4095L);
        cb.land();
    }

    private static void value(Gen g, boolean fromF, int rs2) {
        if (fromF) g.loadF(rs2);
        else g.loadX(rs2);
    }

    private static void put(CodeBuilder cb, int target) {
        if (target < 0) cb.pop2();
        else cb.lstore(target);
    }

    private static void layout(CodeBuilder cb, int size) {
        String name = switch (size) {
            case 1 -> "I8";
            case 2 -> "I16";
            case 4 -> "I32";
            default -> "I64";
        };
        cb.getstatic(MEMORY, name, ClassDesc.ofDescriptor(layoutType(size)));
    }

    private static String layoutType(int size) {
        return switch (size) {
            case 1 -> "Ljava/lang/foreign/ValueLayout$OfByte;";
            case 2 -> "Ljava/lang/foreign/ValueLayout$OfShort;";
            case 4 -> "Ljava/lang/foreign/ValueLayout$OfInt;";
            default -> "Ljava/lang/foreign/ValueLayout$OfLong;";
        };
    }

    private static String primitive(int size) {
        return switch (size) {
            case 1 -> "B";
            case 2 -> "S";
            case 4 -> "I";
            default -> "J";
        };
    }
}
