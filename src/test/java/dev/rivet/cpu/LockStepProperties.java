package dev.rivet.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rivet.jit.JitConfig;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random programs from every extension (I, M, A, F, D, C, Zba/Zbb/Zbs, Zicsr, fences, ecall and
 * ebreak, illegal encodings), with loads and stores that hit and miss mapped memory, misaligned
 * accesses and atomics, branches and jumps inside and outside the program, and stores into the
 * code page itself (self-modifying code), run in lock step by the interpreter and the translator
 * ({@link LockStep}) with random slice budgets. They must agree on every register, every byte of
 * memory, every trap and every instruction count.
 */
@Tag("jit")
class LockStepProperties {
    /** Registers holding the data base (x8 = s0) and a pointer into the code page (x9 = s1). */
    static final int DATA_BASE = 8, CODE_BASE = 9;

    @Property(tries = 150)
    void interpreterAndTranslatorAgree(@ForAll("programs") LockStep.Program program) {
        assertThat(LockStep.check(program)).isNull();
    }

    /**
     * The same with a machine's settings: no stream or page slots, six registers in locals, no
     * access groups (translations for the system VM take that way, which the other settings do not).
     */
    @Property(tries = 100)
    void interpreterAndTranslatorAgreeWithAMachinesSettings(@ForAll("programs") LockStep.Program program) {
        assertThat(LockStep.check(program, new JitConfig(1, 1, false, 4096, 120, true, false, false, 1))).isNull();
    }

    /**
     * The same with the program placed across the end of the first code page (reached by a jump
     * from the page's start): a program's regions then hold code of the next page too (see
     * jit.Region), entered only while that page is mapped as when they were translated.
     */
    @Property(tries = 100)
    void interpreterAndTranslatorAgreeAcrossAPageEnd(@ForAll("programs") LockStep.Program program, @ForAll("halfwords") int back) {
        assertThat(LockStep.check(acrossPageEnd(program, back))).isNull();
    }

    @Provide
    Arbitrary<Integer> halfwords() {
        return Arbitraries.integers().between(1, 200);
    }

    /** {@code p}'s code starting {@code back} halfwords (at most its length) before the end of the first page. */
    static LockStep.Program acrossPageEnd(LockStep.Program p, int back) {
        byte[] program = p.code();
        int start = dev.rivet.mem.Page.SIZE - 2 * Math.min(back, program.length / 2);
        byte[] code = new byte[start + program.length];
        int jump = Asm.jal(0, start);
        for (int b = 0; b < 4; b++) code[b] = (byte) (jump >>> (8 * b));
        System.arraycopy(program, 0, code, start, program.length);
        return new LockStep.Program(code, p.x(), p.f(), p.totalInstructions(), p.slice());
    }

    /**
     * A longer hunt on demand: -Drivet.lockstep.seeds=N checks N more programs, of seeds 1..N, or
     * of seeds F..F+N-1 with -Drivet.lockstep.firstSeed=F (so that a later hunt covers new ones).
     */
    @net.jqwik.api.Example
    void moreSeedsOnDemand() {
        int seeds = Integer.getInteger("rivet.lockstep.seeds", 0);
        int first = Integer.getInteger("rivet.lockstep.firstSeed", 1);
        for (int seed = first; seed < first + seeds; seed++) {
            assertThat(LockStep.check(generate(new Random(seed)))).as("seed %d", seed).isNull();
        }
    }

    /** The programs must really have run translated code, or the property proves nothing. */
    @AfterContainer
    static void translatedCodeRan() {
        System.out.println("lock step: " + LockStep.TRANSLATED.sum() + " instructions ran in translated code");
        assertThat(LockStep.TRANSLATED.sum()).isPositive();
    }

    @Provide
    Arbitrary<LockStep.Program> programs() {
        return Arbitraries.longs().map(seed -> generate(new Random(seed)));
    }

    static LockStep.Program generate(Random r) {
        int count = 8 + r.nextInt(80);
        List<int[]> insns = new ArrayList<>(); // {encoding, kind}: kind 1 = branch to patch, 2 = jal to patch
        for (int i = 0; i < count; i++) insns.add(instruction(r));
        // Loop back to the start, so that the code runs again (translated, after its first entry).
        insns.add(new int[] {Asm.jal(0, 0), 3});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] offsets = new int[insns.size()];
        int off = 0;
        for (int i = 0; i < insns.size(); i++) {
            offsets[i] = off;
            off += (insns.get(i)[0] & 3) == 3 ? 4 : 2;
        }
        for (int i = 0; i < insns.size(); i++) {
            int enc = insns.get(i)[0];
            int kind = insns.get(i)[1];
            if (kind == 1 || kind == 2) {
                int target = offsets[r.nextInt(insns.size())] - offsets[i];
                if (r.nextInt(8) == 0) target += 2 * (r.nextInt(64) - 32); // anywhere nearby, even mid-instruction
                enc = kind == 1 ? Asm.bType(target, (enc >>> 20) & 31, (enc >>> 15) & 31, (enc >>> 12) & 7)
                        : Asm.jal((enc >>> 7) & 31, target);
            } else if (kind == 3) {
                enc = Asm.jal(0, -offsets[i]);
            }
            int len = (enc & 3) == 3 ? 4 : 2;
            for (int b = 0; b < len; b++) out.write(enc >>> (8 * b));
        }
        long[] x = new long[32], f = new long[32];
        for (int i = 1; i < 32; i++) {
            x[i] = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(64) - 32;
                case 1 -> Machine.DATA + r.nextInt(0x2000);
                default -> r.nextLong();
            };
            f[i] = switch (r.nextInt(3)) {
                case 0 -> Double.doubleToRawLongBits(r.nextGaussian() * 100);
                case 1 -> 0xffffffff00000000L | Float.floatToRawIntBits((float) r.nextGaussian());
                default -> r.nextLong();
            };
        }
        x[DATA_BASE] = Machine.DATA + 0x800;
        x[CODE_BASE] = Machine.CODE + 0x800;
        return new LockStep.Program(out.toByteArray(), x, f, 1500 + r.nextInt(3000), 1 + r.nextInt(r.nextBoolean() ? 40 : 1000));
    }

    private static int reg(Random r) {
        return r.nextInt(32);
    }

    /** A destination that never overwrites the two base registers. */
    private static int rd(Random r) {
        int rd;
        do rd = r.nextInt(32); while (rd == DATA_BASE || rd == CODE_BASE);
        return rd;
    }

    private static int base(Random r) {
        int k = r.nextInt(10);
        return k < 7 ? DATA_BASE : k < 9 ? CODE_BASE : reg(r);
    }

    private static int imm12(Random r) {
        return r.nextInt(4096) - 2048;
    }

    private static final int[] OP_FUNCT7 = {0x00, 0x20, 0x01, 0x05, 0x10, 0x14, 0x20, 0x24, 0x30, 0x34, 0x04};
    private static final int[] SHIFT_FUNCT6 = {0x00, 0x10, 0x18, 0x12, 0x1a, 0x0a, 0x02};
    private static final int[] FP_FUNCT5 = {0x00, 0x01, 0x02, 0x03, 0x0b, 0x04, 0x05, 0x08, 0x14, 0x18, 0x1a, 0x1c, 0x1e};
    private static final int[] AMO_FUNCT5 = {0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c};
    private static final int[] CSRS = {Csrs.FFLAGS, Csrs.FRM, Csrs.FCSR, Csrs.CYCLE, Csrs.TIME, Csrs.INSTRET, 0x300};

    /** One random instruction: {encoding, patch kind}. */
    private static int[] instruction(Random r) {
        int k = r.nextInt(100);
        if (k < 22) { // register-register, all of OP / OP-32 including M, Zba, Zbb, Zbs
            int funct7 = OP_FUNCT7[r.nextInt(OP_FUNCT7.length)];
            int opcode = r.nextBoolean() ? Asm.OP : Asm.OP_32;
            return new int[] {Asm.rType(funct7, reg(r), reg(r), r.nextInt(8), rd(r), opcode), 0};
        }
        if (k < 38) { // immediates and shifts (including the Zbb/Zbs immediate forms)
            int funct3 = r.nextInt(8);
            int opcode = r.nextBoolean() ? Asm.OP_IMM : Asm.OP_IMM_32;
            int imm = imm12(r);
            if (funct3 == 1 || funct3 == 5) imm = SHIFT_FUNCT6[r.nextInt(SHIFT_FUNCT6.length)] << 6 | r.nextInt(64);
            if (r.nextInt(10) == 0) imm = 0x600 | r.nextInt(8); // clz/ctz/cpop/sext
            return new int[] {Asm.iType(imm, reg(r), funct3, rd(r), opcode), 0};
        }
        if (k < 41) return new int[] {r.nextBoolean() ? Asm.lui(rd(r), r.nextInt(1 << 20) - (1 << 19)) : Asm.auipc(rd(r), r.nextInt(64) - 32), 0};
        if (k < 53) return new int[] {Asm.iType(imm12(r), base(r), r.nextInt(7), rd(r), Asm.LOAD), 0};
        if (k < 62) return new int[] {Asm.sType(imm12(r), reg(r), base(r), r.nextInt(4), Asm.STORE), 0};
        if (k < 65) return new int[] {Asm.iType(imm12(r), base(r), 2 + r.nextInt(2), r.nextInt(32), Asm.LOAD_FP), 0};
        if (k < 67) return new int[] {Asm.sType(imm12(r), r.nextInt(32), base(r), 2 + r.nextInt(2), Asm.STORE_FP), 0};
        if (k < 71) {
            int funct5 = AMO_FUNCT5[r.nextInt(AMO_FUNCT5.length)];
            int rs2 = funct5 == 0x02 ? 0 : reg(r);
            return new int[] {Asm.amo(funct5, r.nextBoolean(), r.nextBoolean(), rs2, base(r), 2 + r.nextInt(2), rd(r)), 0};
        }
        if (k < 79) { // OP-FP: arithmetic, sign injection, min/max, compares, conversions, moves, classify
            int funct7 = FP_FUNCT5[r.nextInt(FP_FUNCT5.length)] << 2 | r.nextInt(2);
            int rs2 = r.nextInt(32);
            if (funct7 >>> 2 == 0x08) rs2 = r.nextInt(2); // fcvt.s.d / fcvt.d.s
            if (funct7 >>> 2 == 0x18 || funct7 >>> 2 == 0x1a) rs2 = r.nextInt(4);
            if (funct7 >>> 2 == 0x1c || funct7 >>> 2 == 0x1e || funct7 >>> 2 == 0x0b) rs2 = 0;
            int rm = r.nextInt(6) == 0 ? r.nextInt(8) : (funct7 >>> 2 == 0x04 || funct7 >>> 2 == 0x05 || funct7 >>> 2 == 0x14
                    ? r.nextInt(3) : funct7 >>> 2 == 0x1c ? r.nextInt(2) : r.nextBoolean() ? 7 : r.nextInt(5));
            return new int[] {Asm.rType(funct7, rs2, reg(r), rm, rd(r), Asm.OP_FP), 0};
        }
        if (k < 81) { // fused multiply-add
            int opcode = 0x43 + 4 * r.nextInt(4);
            int bits = r.nextInt(32) << 27 | r.nextInt(2) << 25 | r.nextInt(32) << 20 | r.nextInt(32) << 15
                    | (r.nextBoolean() ? 7 : r.nextInt(5)) << 12 | r.nextInt(32) << 7 | opcode;
            return new int[] {bits, 0};
        }
        if (k < 88) return new int[] {Asm.bType(0, reg(r), reg(r), new int[] {0, 1, 4, 5, 6, 7}[r.nextInt(6)]), 1};
        if (k < 90) return new int[] {Asm.jal(r.nextBoolean() ? 0 : rd(r), 0), 2};
        if (k < 91) return new int[] {Asm.jalr(rd(r), reg(r), imm12(r)), 0};
        if (k < 94) { // CSR access
            int csr = CSRS[r.nextInt(CSRS.length)];
            int rs1 = r.nextInt(3) == 0 ? 0 : reg(r);
            return new int[] {csr << 20 | rs1 << 15 | (1 + r.nextInt(7)) << 12 | rd(r) << 7 | Asm.SYSTEM, 0};
        }
        if (k < 95) return new int[] {new int[] {Asm.ecall(), Asm.ebreak(), Asm.fence(), Asm.fenceI(), 0}[r.nextInt(5)], 0};
        // compressed: any 16-bit encoding of quadrants 0-2 that names no base register as destination
        while (true) {
            int c = r.nextInt(1 << 16);
            if ((c & 3) == 3) continue;
            long d = Decoder.decode(c);
            int op = Insn.op(d);
            if (op == Op.ILLEGAL && r.nextInt(4) != 0) continue;
            if (op != Op.ILLEGAL && (Insn.rd(d) == DATA_BASE || Insn.rd(d) == CODE_BASE)
                    && !(op >= Op.SB && op <= Op.SD) && !(op >= Op.BEQ && op <= Op.BGEU) && op != Op.FSD && op != Op.FSW) continue;
            return new int[] {c, 0};
        }
    }
}
