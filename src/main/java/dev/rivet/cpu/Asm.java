package dev.rivet.cpu;

/**
 * A RISC-V assembler: each method returns the encoding of one instruction, built from the
 * instruction formats of the unprivileged ISA manual (R/I/S/B/U/J, the atomic and CSR layouts, and
 * the compressed CR/CI/CSS/CIW/CL/CS/CA/CB/CJ formats). Deliberately independent of {@link Decoder},
 * so that tests check the one against the other; the launcher's start-up training program is
 * written with it too (see {@code cli.TrainingProgram}).
 * Register arguments are register numbers; compressed forms with 3-bit register fields take the full
 * register number (8..15). Compressed encodings come back in the low 16 bits.
 */
public final class Asm {
    private Asm() {}

    // ------------------------------------------------------------------ opcodes
    public static final int LOAD = 0x03, LOAD_FP = 0x07, MISC_MEM = 0x0f, OP_IMM = 0x13, AUIPC_OP = 0x17, OP_IMM_32 = 0x1b;
    public static final int STORE = 0x23, STORE_FP = 0x27, AMO = 0x2f, OP = 0x33, LUI_OP = 0x37, OP_32 = 0x3b;
    public static final int OP_FP = 0x53, BRANCH = 0x63, JALR_OP = 0x67, JAL_OP = 0x6f, SYSTEM = 0x73;

    // ------------------------------------------------------------------ base formats

    private static int reg(int r) {
        if (r < 0 || r > 31) throw new IllegalArgumentException("register " + r);
        return r;
    }

    private static void checkSigned(long v, int bits) {
        long min = -(1L << (bits - 1)), max = (1L << (bits - 1)) - 1;
        if (v < min || v > max) throw new IllegalArgumentException(v + " does not fit " + bits + " signed bits");
    }

    private static void checkUnsigned(long v, int bits) {
        if (v < 0 || v >= (1L << bits)) throw new IllegalArgumentException(v + " does not fit " + bits + " unsigned bits");
    }

    public static int rType(int funct7, int rs2, int rs1, int funct3, int rd, int opcode) {
        return funct7 << 25 | reg(rs2) << 20 | reg(rs1) << 15 | funct3 << 12 | reg(rd) << 7 | opcode;
    }

    public static int iType(int imm, int rs1, int funct3, int rd, int opcode) {
        checkSigned(imm, 12);
        return (imm & 0xfff) << 20 | reg(rs1) << 15 | funct3 << 12 | reg(rd) << 7 | opcode;
    }

    public static int sType(int imm, int rs2, int rs1, int funct3, int opcode) {
        checkSigned(imm, 12);
        return ((imm >> 5) & 0x7f) << 25 | reg(rs2) << 20 | reg(rs1) << 15 | funct3 << 12 | (imm & 0x1f) << 7 | opcode;
    }

    public static int bType(int imm, int rs2, int rs1, int funct3) {
        checkSigned(imm, 13);
        if ((imm & 1) != 0) throw new IllegalArgumentException("odd branch offset");
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3f) << 25 | reg(rs2) << 20 | reg(rs1) << 15 | funct3 << 12
                | ((imm >> 1) & 0xf) << 8 | ((imm >> 11) & 1) << 7 | BRANCH;
    }

    /** U-type: {@code imm20} is the 20-bit upper immediate (bits 31:12 of the result value). */
    public static int uType(int imm20, int rd, int opcode) {
        return (imm20 & 0xfffff) << 12 | reg(rd) << 7 | opcode;
    }

    public static int jType(int imm, int rd) {
        checkSigned(imm, 21);
        if ((imm & 1) != 0) throw new IllegalArgumentException("odd jump offset");
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20 | ((imm >> 12) & 0xff) << 12
                | reg(rd) << 7 | JAL_OP;
    }

    // ------------------------------------------------------------------ RV64I

    public static int lui(int rd, int imm20) { return uType(imm20, rd, LUI_OP); }
    public static int auipc(int rd, int imm20) { return uType(imm20, rd, AUIPC_OP); }
    public static int jal(int rd, int offset) { return jType(offset, rd); }
    public static int jalr(int rd, int rs1, int imm) { return iType(imm, rs1, 0, rd, JALR_OP); }

    public static int beq(int rs1, int rs2, int off) { return bType(off, rs2, rs1, 0); }
    public static int bne(int rs1, int rs2, int off) { return bType(off, rs2, rs1, 1); }
    public static int blt(int rs1, int rs2, int off) { return bType(off, rs2, rs1, 4); }
    public static int bge(int rs1, int rs2, int off) { return bType(off, rs2, rs1, 5); }
    public static int bltu(int rs1, int rs2, int off) { return bType(off, rs2, rs1, 6); }
    public static int bgeu(int rs1, int rs2, int off) { return bType(off, rs2, rs1, 7); }

    public static int lb(int rd, int rs1, int imm) { return iType(imm, rs1, 0, rd, LOAD); }
    public static int lh(int rd, int rs1, int imm) { return iType(imm, rs1, 1, rd, LOAD); }
    public static int lw(int rd, int rs1, int imm) { return iType(imm, rs1, 2, rd, LOAD); }
    public static int ld(int rd, int rs1, int imm) { return iType(imm, rs1, 3, rd, LOAD); }
    public static int lbu(int rd, int rs1, int imm) { return iType(imm, rs1, 4, rd, LOAD); }
    public static int lhu(int rd, int rs1, int imm) { return iType(imm, rs1, 5, rd, LOAD); }
    public static int lwu(int rd, int rs1, int imm) { return iType(imm, rs1, 6, rd, LOAD); }

    public static int sb(int rs2, int rs1, int imm) { return sType(imm, rs2, rs1, 0, STORE); }
    public static int sh(int rs2, int rs1, int imm) { return sType(imm, rs2, rs1, 1, STORE); }
    public static int sw(int rs2, int rs1, int imm) { return sType(imm, rs2, rs1, 2, STORE); }
    public static int sd(int rs2, int rs1, int imm) { return sType(imm, rs2, rs1, 3, STORE); }

    public static int addi(int rd, int rs1, int imm) { return iType(imm, rs1, 0, rd, OP_IMM); }
    public static int slti(int rd, int rs1, int imm) { return iType(imm, rs1, 2, rd, OP_IMM); }
    public static int sltiu(int rd, int rs1, int imm) { return iType(imm, rs1, 3, rd, OP_IMM); }
    public static int xori(int rd, int rs1, int imm) { return iType(imm, rs1, 4, rd, OP_IMM); }
    public static int ori(int rd, int rs1, int imm) { return iType(imm, rs1, 6, rd, OP_IMM); }
    public static int andi(int rd, int rs1, int imm) { return iType(imm, rs1, 7, rd, OP_IMM); }

    /** Shift-immediate with a 6-bit shamt (RV64): funct6 in bits 31:26. */
    public static int shift64(int funct6, int shamt, int rs1, int funct3, int rd, int opcode) {
        checkUnsigned(shamt, 6);
        return funct6 << 26 | shamt << 20 | reg(rs1) << 15 | funct3 << 12 | reg(rd) << 7 | opcode;
    }

    /** Shift-immediate with a 5-bit shamt (the *W forms): funct7 in bits 31:25. */
    public static int shift32(int funct7, int shamt, int rs1, int funct3, int rd) {
        checkUnsigned(shamt, 5);
        return funct7 << 25 | shamt << 20 | reg(rs1) << 15 | funct3 << 12 | reg(rd) << 7 | OP_IMM_32;
    }

    public static int slli(int rd, int rs1, int shamt) { return shift64(0x00, shamt, rs1, 1, rd, OP_IMM); }
    public static int srli(int rd, int rs1, int shamt) { return shift64(0x00, shamt, rs1, 5, rd, OP_IMM); }
    public static int srai(int rd, int rs1, int shamt) { return shift64(0x10, shamt, rs1, 5, rd, OP_IMM); }

    public static int add(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 0, rd, OP); }
    public static int sub(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 0, rd, OP); }
    public static int sll(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 1, rd, OP); }
    public static int slt(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 2, rd, OP); }
    public static int sltu(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 3, rd, OP); }
    public static int xor(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 4, rd, OP); }
    public static int srl(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 5, rd, OP); }
    public static int sra(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 5, rd, OP); }
    public static int or(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 6, rd, OP); }
    public static int and(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 7, rd, OP); }

    public static int addiw(int rd, int rs1, int imm) { return iType(imm, rs1, 0, rd, OP_IMM_32); }
    public static int slliw(int rd, int rs1, int shamt) { return shift32(0x00, shamt, rs1, 1, rd); }
    public static int srliw(int rd, int rs1, int shamt) { return shift32(0x00, shamt, rs1, 5, rd); }
    public static int sraiw(int rd, int rs1, int shamt) { return shift32(0x20, shamt, rs1, 5, rd); }
    public static int addw(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 0, rd, OP_32); }
    public static int subw(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 0, rd, OP_32); }
    public static int sllw(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 1, rd, OP_32); }
    public static int srlw(int rd, int rs1, int rs2) { return rType(0x00, rs2, rs1, 5, rd, OP_32); }
    public static int sraw(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 5, rd, OP_32); }

    /** fence with predecessor and successor sets (4 bits each: i, o, r, w). */
    public static int fence(int pred, int succ) { return (pred & 15) << 24 | (succ & 15) << 20 | MISC_MEM; }
    public static int fence() { return fence(15, 15); }
    public static int fenceI() { return 1 << 12 | MISC_MEM; }
    public static int ecall() { return SYSTEM; }
    public static int ebreak() { return 1 << 20 | SYSTEM; }

    public static int nop() { return addi(0, 0, 0); }

    // ------------------------------------------------------------------ M

    public static int mul(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 0, rd, OP); }
    public static int mulh(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 1, rd, OP); }
    public static int mulhsu(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 2, rd, OP); }
    public static int mulhu(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 3, rd, OP); }
    public static int div(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 4, rd, OP); }
    public static int divu(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 5, rd, OP); }
    public static int rem(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 6, rd, OP); }
    public static int remu(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 7, rd, OP); }
    public static int mulw(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 0, rd, OP_32); }
    public static int divw(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 4, rd, OP_32); }
    public static int divuw(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 5, rd, OP_32); }
    public static int remw(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 6, rd, OP_32); }
    public static int remuw(int rd, int rs1, int rs2) { return rType(0x01, rs2, rs1, 7, rd, OP_32); }

    // ------------------------------------------------------------------ A

    public static final int W = 2, D = 3;

    /** An AMO-format instruction: funct5, aq, rl, rs2, rs1, width (2 = .w, 3 = .d), rd. */
    public static int amo(int funct5, boolean aq, boolean rl, int rs2, int rs1, int width, int rd) {
        return funct5 << 27 | (aq ? 1 << 26 : 0) | (rl ? 1 << 25 : 0) | reg(rs2) << 20 | reg(rs1) << 15 | width << 12
                | reg(rd) << 7 | AMO;
    }

    public static int lrW(int rd, int rs1) { return amo(0x02, false, false, 0, rs1, W, rd); }
    public static int lrD(int rd, int rs1) { return amo(0x02, false, false, 0, rs1, D, rd); }
    public static int scW(int rd, int rs2, int rs1) { return amo(0x03, false, false, rs2, rs1, W, rd); }
    public static int scD(int rd, int rs2, int rs1) { return amo(0x03, false, false, rs2, rs1, D, rd); }

    public static final int AMOSWAP = 0x01, AMOADD = 0x00, AMOXOR = 0x04, AMOAND = 0x0c, AMOOR = 0x08;
    public static final int AMOMIN = 0x10, AMOMAX = 0x14, AMOMINU = 0x18, AMOMAXU = 0x1c;

    /** amo&lt;op&gt;.{w,d} rd, rs2, (rs1). */
    public static int amo(int funct5, int width, int rd, int rs2, int rs1) { return amo(funct5, false, false, rs2, rs1, width, rd); }

    // ------------------------------------------------------------------ Zicsr, Zifencei

    public static int csrrw(int rd, int csr, int rs1) { return csr << 20 | reg(rs1) << 15 | 1 << 12 | reg(rd) << 7 | SYSTEM; }
    public static int csrrs(int rd, int csr, int rs1) { return csr << 20 | reg(rs1) << 15 | 2 << 12 | reg(rd) << 7 | SYSTEM; }
    public static int csrrc(int rd, int csr, int rs1) { return csr << 20 | reg(rs1) << 15 | 3 << 12 | reg(rd) << 7 | SYSTEM; }
    public static int csrrwi(int rd, int csr, int uimm) { checkUnsigned(uimm, 5); return csr << 20 | uimm << 15 | 5 << 12 | reg(rd) << 7 | SYSTEM; }
    public static int csrrsi(int rd, int csr, int uimm) { checkUnsigned(uimm, 5); return csr << 20 | uimm << 15 | 6 << 12 | reg(rd) << 7 | SYSTEM; }
    public static int csrrci(int rd, int csr, int uimm) { checkUnsigned(uimm, 5); return csr << 20 | uimm << 15 | 7 << 12 | reg(rd) << 7 | SYSTEM; }

    // ------------------------------------------------------------------ Zba

    public static int sh1add(int rd, int rs1, int rs2) { return rType(0x10, rs2, rs1, 2, rd, OP); }
    public static int sh2add(int rd, int rs1, int rs2) { return rType(0x10, rs2, rs1, 4, rd, OP); }
    public static int sh3add(int rd, int rs1, int rs2) { return rType(0x10, rs2, rs1, 6, rd, OP); }
    public static int addUw(int rd, int rs1, int rs2) { return rType(0x04, rs2, rs1, 0, rd, OP_32); }
    public static int sh1addUw(int rd, int rs1, int rs2) { return rType(0x10, rs2, rs1, 2, rd, OP_32); }
    public static int sh2addUw(int rd, int rs1, int rs2) { return rType(0x10, rs2, rs1, 4, rd, OP_32); }
    public static int sh3addUw(int rd, int rs1, int rs2) { return rType(0x10, rs2, rs1, 6, rd, OP_32); }
    public static int slliUw(int rd, int rs1, int shamt) { return shift64(0x02, shamt, rs1, 1, rd, OP_IMM_32); }

    // ------------------------------------------------------------------ Zbb

    public static int andn(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 7, rd, OP); }
    public static int orn(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 6, rd, OP); }
    public static int xnor(int rd, int rs1, int rs2) { return rType(0x20, rs2, rs1, 4, rd, OP); }
    public static int clz(int rd, int rs1) { return rType(0x30, 0, rs1, 1, rd, OP_IMM); }
    public static int ctz(int rd, int rs1) { return rType(0x30, 1, rs1, 1, rd, OP_IMM); }
    public static int cpop(int rd, int rs1) { return rType(0x30, 2, rs1, 1, rd, OP_IMM); }
    public static int clzw(int rd, int rs1) { return rType(0x30, 0, rs1, 1, rd, OP_IMM_32); }
    public static int ctzw(int rd, int rs1) { return rType(0x30, 1, rs1, 1, rd, OP_IMM_32); }
    public static int cpopw(int rd, int rs1) { return rType(0x30, 2, rs1, 1, rd, OP_IMM_32); }
    public static int max(int rd, int rs1, int rs2) { return rType(0x05, rs2, rs1, 6, rd, OP); }
    public static int maxu(int rd, int rs1, int rs2) { return rType(0x05, rs2, rs1, 7, rd, OP); }
    public static int min(int rd, int rs1, int rs2) { return rType(0x05, rs2, rs1, 4, rd, OP); }
    public static int minu(int rd, int rs1, int rs2) { return rType(0x05, rs2, rs1, 5, rd, OP); }
    public static int sextB(int rd, int rs1) { return rType(0x30, 4, rs1, 1, rd, OP_IMM); }
    public static int sextH(int rd, int rs1) { return rType(0x30, 5, rs1, 1, rd, OP_IMM); }
    public static int zextH(int rd, int rs1) { return rType(0x04, 0, rs1, 4, rd, OP_32); }
    public static int rol(int rd, int rs1, int rs2) { return rType(0x30, rs2, rs1, 1, rd, OP); }
    public static int ror(int rd, int rs1, int rs2) { return rType(0x30, rs2, rs1, 5, rd, OP); }
    public static int rolw(int rd, int rs1, int rs2) { return rType(0x30, rs2, rs1, 1, rd, OP_32); }
    public static int rorw(int rd, int rs1, int rs2) { return rType(0x30, rs2, rs1, 5, rd, OP_32); }
    public static int rori(int rd, int rs1, int shamt) { return shift64(0x18, shamt, rs1, 5, rd, OP_IMM); }
    public static int roriw(int rd, int rs1, int shamt) { return shift32(0x30, shamt, rs1, 5, rd); }
    /** orc.b: imm[11:0] = 0x287. */
    public static int orcB(int rd, int rs1) { return 0x287 << 20 | reg(rs1) << 15 | 5 << 12 | reg(rd) << 7 | OP_IMM; }
    /** rev8 (RV64): imm[11:0] = 0x6b8. */
    public static int rev8(int rd, int rs1) { return 0x6b8 << 20 | reg(rs1) << 15 | 5 << 12 | reg(rd) << 7 | OP_IMM; }

    // ------------------------------------------------------------------ Zbs

    public static int bclr(int rd, int rs1, int rs2) { return rType(0x24, rs2, rs1, 1, rd, OP); }
    public static int bext(int rd, int rs1, int rs2) { return rType(0x24, rs2, rs1, 5, rd, OP); }
    public static int binv(int rd, int rs1, int rs2) { return rType(0x34, rs2, rs1, 1, rd, OP); }
    public static int bset(int rd, int rs1, int rs2) { return rType(0x14, rs2, rs1, 1, rd, OP); }
    public static int bclri(int rd, int rs1, int shamt) { return shift64(0x12, shamt, rs1, 1, rd, OP_IMM); }
    public static int bexti(int rd, int rs1, int shamt) { return shift64(0x12, shamt, rs1, 5, rd, OP_IMM); }
    public static int binvi(int rd, int rs1, int shamt) { return shift64(0x1a, shamt, rs1, 1, rd, OP_IMM); }
    public static int bseti(int rd, int rs1, int shamt) { return shift64(0x0a, shamt, rs1, 1, rd, OP_IMM); }

    // ------------------------------------------------------------------ F / D: loads, stores, moves, sign injection

    public static int flw(int frd, int rs1, int imm) { return iType(imm, rs1, 2, frd, LOAD_FP); }
    public static int fld(int frd, int rs1, int imm) { return iType(imm, rs1, 3, frd, LOAD_FP); }
    public static int fsw(int frs2, int rs1, int imm) { return sType(imm, frs2, rs1, 2, STORE_FP); }
    public static int fsd(int frs2, int rs1, int imm) { return sType(imm, frs2, rs1, 3, STORE_FP); }
    public static int fmvXW(int rd, int frs1) { return rType(0x70, 0, frs1, 0, rd, OP_FP); }
    public static int fmvWX(int frd, int rs1) { return rType(0x78, 0, rs1, 0, frd, OP_FP); }
    public static int fmvXD(int rd, int frs1) { return rType(0x71, 0, frs1, 0, rd, OP_FP); }
    public static int fmvDX(int frd, int rs1) { return rType(0x79, 0, rs1, 0, frd, OP_FP); }
    public static int fsgnjS(int frd, int frs1, int frs2) { return rType(0x10, frs2, frs1, 0, frd, OP_FP); }
    public static int fsgnjnS(int frd, int frs1, int frs2) { return rType(0x10, frs2, frs1, 1, frd, OP_FP); }
    public static int fsgnjxS(int frd, int frs1, int frs2) { return rType(0x10, frs2, frs1, 2, frd, OP_FP); }
    public static int fsgnjD(int frd, int frs1, int frs2) { return rType(0x11, frs2, frs1, 0, frd, OP_FP); }
    public static int fsgnjnD(int frd, int frs1, int frs2) { return rType(0x11, frs2, frs1, 1, frd, OP_FP); }
    public static int fsgnjxD(int frd, int frs1, int frs2) { return rType(0x11, frs2, frs1, 2, frd, OP_FP); }

    // ------------------------------------------------------------------ D: arithmetic, compares, conversions

    /** The dynamic rounding mode (frm), and round towards zero, as rm fields. */
    public static final int RM_DYN = 7, RM_RTZ = 1;

    public static int faddD(int frd, int frs1, int frs2) { return rType(0x01, frs2, frs1, RM_DYN, frd, OP_FP); }
    public static int fsubD(int frd, int frs1, int frs2) { return rType(0x05, frs2, frs1, RM_DYN, frd, OP_FP); }
    public static int fmulD(int frd, int frs1, int frs2) { return rType(0x09, frs2, frs1, RM_DYN, frd, OP_FP); }
    public static int fdivD(int frd, int frs1, int frs2) { return rType(0x0d, frs2, frs1, RM_DYN, frd, OP_FP); }
    public static int fsqrtD(int frd, int frs1) { return rType(0x2d, 0, frs1, RM_DYN, frd, OP_FP); }
    /** fmadd.d: frd = frs1 * frs2 + frs3 (R4 format). */
    public static int fmaddD(int frd, int frs1, int frs2, int frs3) {
        return reg(frs3) << 27 | 1 << 25 | reg(frs2) << 20 | reg(frs1) << 15 | RM_DYN << 12 | reg(frd) << 7 | 0x43;
    }
    public static int fltD(int rd, int frs1, int frs2) { return rType(0x51, frs2, frs1, 1, rd, OP_FP); }
    /** fcvt.d.l: a signed 64-bit integer to double. */
    public static int fcvtDL(int frd, int rs1) { return rType(0x69, 2, rs1, RM_DYN, frd, OP_FP); }
    /** fcvt.l.d, rounding towards zero, as C's casts do. */
    public static int fcvtLD(int rd, int frs1) { return rType(0x61, 2, frs1, RM_RTZ, rd, OP_FP); }

    // ------------------------------------------------------------------ C (RV64C), "C" chapter formats

    private static int creg(int r) {
        if (r < 8 || r > 15) throw new IllegalArgumentException("compressed register " + r);
        return r - 8;
    }

    private static int bit(int v, int n) {
        return (v >> n) & 1;
    }

    /** Places bit {@code from} of {@code v} at bit position {@code to}. */
    private static int at(int v, int from, int to) {
        return bit(v, from) << to;
    }

    /** CI format: funct3, imm bit 5 at 12, rd/rs1 at 11:7, imm[4:0] at 6:2 (imm given already permuted). */
    private static int ci(int funct3, int bit12, int rd, int bits6to2, int quadrant) {
        return funct3 << 13 | bit12 << 12 | reg(rd) << 7 | (bits6to2 & 0x1f) << 2 | quadrant;
    }

    // Quadrant 0

    /** c.addi4spn rd', nzuimm: nzuimm[5:4|9:6|2|3] in bits 12:5. */
    public static int cAddi4spn(int rdp, int nzuimm) {
        checkUnsigned(nzuimm, 10);
        int u = nzuimm;
        int b = at(u, 5, 12) | at(u, 4, 11) | ((u >> 6) & 0xf) << 7 | at(u, 2, 6) | at(u, 3, 5);
        return b | creg(rdp) << 2;
    }

    /** CL/CS with uimm[5:3] at 12:10 and uimm[7:6] at 6:5 (doubleword forms). */
    private static int clD(int funct3, int rdOrRs2p, int rs1p, int uimm, int quadrant) {
        checkUnsigned(uimm, 8);
        if ((uimm & 7) != 0) throw new IllegalArgumentException("unaligned offset");
        return funct3 << 13 | ((uimm >> 3) & 7) << 10 | creg(rs1p) << 7 | ((uimm >> 6) & 3) << 5 | creg(rdOrRs2p) << 2
                | quadrant;
    }

    /** CL/CS with uimm[5:3] at 12:10, uimm[2] at 6, uimm[6] at 5 (word forms). */
    private static int clW(int funct3, int rdOrRs2p, int rs1p, int uimm) {
        checkUnsigned(uimm, 7);
        if ((uimm & 3) != 0) throw new IllegalArgumentException("unaligned offset");
        return funct3 << 13 | ((uimm >> 3) & 7) << 10 | creg(rs1p) << 7 | at(uimm, 2, 6) | at(uimm, 6, 5)
                | creg(rdOrRs2p) << 2;
    }

    public static int cFld(int frdp, int rs1p, int uimm) { return clD(1, frdp, rs1p, uimm, 0); }
    public static int cLw(int rdp, int rs1p, int uimm) { return clW(2, rdp, rs1p, uimm); }
    public static int cLd(int rdp, int rs1p, int uimm) { return clD(3, rdp, rs1p, uimm, 0); }
    public static int cFsd(int frs2p, int rs1p, int uimm) { return clD(5, frs2p, rs1p, uimm, 0); }
    public static int cSw(int rs2p, int rs1p, int uimm) { return clW(6, rs2p, rs1p, uimm); }
    public static int cSd(int rs2p, int rs1p, int uimm) { return clD(7, rs2p, rs1p, uimm, 0); }

    // Quadrant 1

    public static int cNop() { return cAddi(0, 0); }

    public static int cAddi(int rd, int imm) { checkSigned(imm, 6); return ci(0, bit(imm, 5), rd, imm, 1); }
    public static int cAddiw(int rd, int imm) { checkSigned(imm, 6); return ci(1, bit(imm, 5), rd, imm, 1); }
    public static int cLi(int rd, int imm) { checkSigned(imm, 6); return ci(2, bit(imm, 5), rd, imm, 1); }

    /** c.addi16sp: nzimm[9] at 12, nzimm[4|6|8:7|5] at 6:2. */
    public static int cAddi16sp(int nzimm) {
        checkSigned(nzimm, 10);
        if ((nzimm & 15) != 0) throw new IllegalArgumentException("addi16sp offset not a multiple of 16");
        int b = at(nzimm, 4, 4) | at(nzimm, 6, 3) | at(nzimm, 8, 2) | at(nzimm, 7, 1) | at(nzimm, 5, 0);
        return ci(3, bit(nzimm, 9), 2, b, 1);
    }

    /** c.lui rd, imm6: loads sign-extended imm6 into bits 17:12 (imm6 in -32..31). */
    public static int cLui(int rd, int imm6) { checkSigned(imm6, 6); return ci(3, bit(imm6, 5), rd, imm6, 1); }

    private static int cb(int funct2, int rdp, int imm6) {
        return 4 << 13 | bit(imm6, 5) << 12 | funct2 << 10 | creg(rdp) << 7 | (imm6 & 0x1f) << 2 | 1;
    }

    public static int cSrli(int rdp, int shamt) { checkUnsigned(shamt, 6); return cb(0, rdp, shamt); }
    public static int cSrai(int rdp, int shamt) { checkUnsigned(shamt, 6); return cb(1, rdp, shamt); }
    public static int cAndi(int rdp, int imm) { checkSigned(imm, 6); return cb(2, rdp, imm); }

    private static int ca(int bit12, int funct2, int rdp, int rs2p) {
        return 4 << 13 | bit12 << 12 | 3 << 10 | creg(rdp) << 7 | funct2 << 5 | creg(rs2p) << 2 | 1;
    }

    public static int cSub(int rdp, int rs2p) { return ca(0, 0, rdp, rs2p); }
    public static int cXor(int rdp, int rs2p) { return ca(0, 1, rdp, rs2p); }
    public static int cOr(int rdp, int rs2p) { return ca(0, 2, rdp, rs2p); }
    public static int cAnd(int rdp, int rs2p) { return ca(0, 3, rdp, rs2p); }
    public static int cSubw(int rdp, int rs2p) { return ca(1, 0, rdp, rs2p); }
    public static int cAddw(int rdp, int rs2p) { return ca(1, 1, rdp, rs2p); }

    /** c.j: offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2. */
    public static int cJ(int off) {
        checkSigned(off, 12);
        if ((off & 1) != 0) throw new IllegalArgumentException("odd offset");
        int b = at(off, 11, 12) | at(off, 4, 11) | at(off, 9, 10) | at(off, 8, 9) | at(off, 10, 8) | at(off, 6, 7)
                | at(off, 7, 6) | at(off, 3, 5) | at(off, 2, 4) | at(off, 1, 3) | at(off, 5, 2);
        return 5 << 13 | b | 1;
    }

    /** c.beqz/c.bnez: offset[8|4:3] at 12:10, offset[7:6|2:1|5] at 6:2. */
    private static int cBranch(int funct3, int rs1p, int off) {
        checkSigned(off, 9);
        if ((off & 1) != 0) throw new IllegalArgumentException("odd offset");
        int b = at(off, 8, 12) | at(off, 4, 11) | at(off, 3, 10) | at(off, 7, 6) | at(off, 6, 5) | at(off, 2, 4)
                | at(off, 1, 3) | at(off, 5, 2);
        return funct3 << 13 | b | creg(rs1p) << 7 | 1;
    }

    public static int cBeqz(int rs1p, int off) { return cBranch(6, rs1p, off); }
    public static int cBnez(int rs1p, int off) { return cBranch(7, rs1p, off); }

    // Quadrant 2

    public static int cSlli(int rd, int shamt) { checkUnsigned(shamt, 6); return ci(0, bit(shamt, 5), rd, shamt, 2); }

    /** c.fldsp/c.ldsp: uimm[5] at 12, uimm[4:3|8:6] at 6:2. */
    private static int ldsp(int funct3, int rd, int uimm) {
        checkUnsigned(uimm, 9);
        if ((uimm & 7) != 0) throw new IllegalArgumentException("unaligned offset");
        int b = ((uimm >> 3) & 3) << 3 | ((uimm >> 6) & 7);
        return ci(funct3, bit(uimm, 5), rd, b, 2);
    }

    public static int cFldsp(int frd, int uimm) { return ldsp(1, frd, uimm); }
    public static int cLdsp(int rd, int uimm) { return ldsp(3, rd, uimm); }

    /** c.lwsp: uimm[5] at 12, uimm[4:2|7:6] at 6:2. */
    public static int cLwsp(int rd, int uimm) {
        checkUnsigned(uimm, 8);
        if ((uimm & 3) != 0) throw new IllegalArgumentException("unaligned offset");
        int b = ((uimm >> 2) & 7) << 2 | ((uimm >> 6) & 3);
        return ci(2, bit(uimm, 5), rd, b, 2);
    }

    private static int cr(int bit12, int rd, int rs2) {
        return 4 << 13 | bit12 << 12 | reg(rd) << 7 | reg(rs2) << 2 | 2;
    }

    public static int cJr(int rs1) { return cr(0, rs1, 0); }
    public static int cMv(int rd, int rs2) { return cr(0, rd, rs2); }
    public static int cEbreak() { return cr(1, 0, 0); }
    public static int cJalr(int rs1) { return cr(1, rs1, 0); }
    public static int cAdd(int rd, int rs2) { return cr(1, rd, rs2); }

    /** c.fsdsp/c.sdsp: uimm[5:3|8:6] at 12:7. */
    private static int sdsp(int funct3, int rs2, int uimm) {
        checkUnsigned(uimm, 9);
        if ((uimm & 7) != 0) throw new IllegalArgumentException("unaligned offset");
        return funct3 << 13 | ((uimm >> 3) & 7) << 10 | ((uimm >> 6) & 7) << 7 | reg(rs2) << 2 | 2;
    }

    public static int cFsdsp(int frs2, int uimm) { return sdsp(5, frs2, uimm); }
    public static int cSdsp(int rs2, int uimm) { return sdsp(7, rs2, uimm); }

    /** c.swsp: uimm[5:2|7:6] at 12:7. */
    public static int cSwsp(int rs2, int uimm) {
        checkUnsigned(uimm, 8);
        if ((uimm & 3) != 0) throw new IllegalArgumentException("unaligned offset");
        return 6 << 13 | ((uimm >> 2) & 15) << 9 | ((uimm >> 6) & 3) << 7 | reg(rs2) << 2 | 2;
    }
}
