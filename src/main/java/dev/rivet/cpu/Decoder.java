package dev.rivet.cpu;

import static dev.rivet.cpu.Op.*;

/**
 * Turns instruction bits into the packed form of {@link Insn}. Pure: no hart state involved, so a
 * page can be decoded once and its result shared by every hart and by the translator.
 *
 * <p>Encodings follow the RISC-V unprivileged ISA: chapter "RV32I/RV64I Base Integer Instruction
 * Set", the M, A, F, D, Zicsr, Zifencei and B (Zba, Zbb, Zbs) chapters, and the "C" chapter for
 * the 16-bit forms, which are expanded to their 32-bit equivalents here.
 */
public final class Decoder {
    private Decoder() {}

    /** True when the low 16 bits start a compressed (16-bit) instruction. */
    public static boolean isCompressed(int lowHalf) {
        return (lowHalf & 3) != 3;
    }

    /** Decodes one instruction; {@code bits} holds 32 bits, or 16 in its low half if compressed. */
    public static long decode(int bits) {
        return isCompressed(bits) ? decodeCompressed(bits & 0xffff) : decode32(bits);
    }

    private static long illegal(int bits, boolean compressed) {
        return Insn.pack(ILLEGAL, 0, 0, 0, 0, bits, compressed);
    }

    private static long r(int op, int i) {
        return Insn.pack(op, rd(i), rs1(i), rs2(i), 0, 0, false);
    }

    private static long iType(int op, int i, int imm) {
        return Insn.pack(op, rd(i), rs1(i), 0, 0, imm, false);
    }

    private static int rd(int i) {
        return (i >>> 7) & 31;
    }

    private static int rs1(int i) {
        return (i >>> 15) & 31;
    }

    private static int rs2(int i) {
        return (i >>> 20) & 31;
    }

    private static int funct3(int i) {
        return (i >>> 12) & 7;
    }

    private static int funct7(int i) {
        return i >>> 25;
    }

    static long decode32(int i) {
        int immI = i >> 20;
        int f3 = funct3(i);
        return switch (i & 0x7f) {
            case 0x37 -> Insn.pack(LUI, rd(i), 0, 0, 0, i & 0xfffff000, false);
            case 0x17 -> Insn.pack(AUIPC, rd(i), 0, 0, 0, i & 0xfffff000, false);
            case 0x6f -> {
                int imm = ((i >> 11) & 0xfff00000) | (i & 0xff000) | ((i >>> 9) & 0x800) | ((i >>> 20) & 0x7fe);
                yield Insn.pack(JAL, rd(i), 0, 0, 0, imm, false);
            }
            case 0x67 -> f3 == 0 ? iType(JALR, i, immI) : illegal(i, false);
            case 0x63 -> {
                int imm = ((i >> 19) & 0xfffff000) | ((i << 4) & 0x800) | ((i >>> 20) & 0x7e0) | ((i >>> 7) & 0x1e);
                int op = switch (f3) {
                    case 0 -> BEQ; case 1 -> BNE; case 4 -> BLT; case 5 -> BGE; case 6 -> BLTU; case 7 -> BGEU;
                    default -> ILLEGAL;
                };
                yield op == ILLEGAL ? illegal(i, false) : Insn.pack(op, 0, rs1(i), rs2(i), 0, imm, false);
            }
            case 0x03 -> {
                int op = switch (f3) {
                    case 0 -> LB; case 1 -> LH; case 2 -> LW; case 3 -> LD; case 4 -> LBU; case 5 -> LHU; case 6 -> LWU;
                    default -> ILLEGAL;
                };
                yield op == ILLEGAL ? illegal(i, false) : iType(op, i, immI);
            }
            case 0x23 -> {
                int op = switch (f3) {
                    case 0 -> SB; case 1 -> SH; case 2 -> SW; case 3 -> SD;
                    default -> ILLEGAL;
                };
                yield op == ILLEGAL ? illegal(i, false) : store(op, i);
            }
            case 0x07 -> f3 == 2 ? iType(FLW, i, immI) : f3 == 3 ? iType(FLD, i, immI) : illegal(i, false);
            case 0x27 -> f3 == 2 ? store(FSW, i) : f3 == 3 ? store(FSD, i) : illegal(i, false);
            case 0x13 -> opImm(i, immI, f3);
            case 0x1b -> opImm32(i, immI, f3);
            case 0x33 -> op(i, f3);
            case 0x3b -> op32(i, f3);
            case 0x0f -> f3 == 0 ? Insn.pack(FENCE, 0, 0, 0, 0, 0, false)
                    : f3 == 1 ? Insn.pack(FENCE_I, 0, 0, 0, 0, 0, false) : illegal(i, false);
            case 0x73 -> system(i, f3);
            case 0x2f -> amo(i, f3);
            case 0x43 -> fused(i, FMADD_S, FMADD_D);
            case 0x47 -> fused(i, FMSUB_S, FMSUB_D);
            case 0x4b -> fused(i, FNMSUB_S, FNMSUB_D);
            case 0x4f -> fused(i, FNMADD_S, FNMADD_D);
            case 0x53 -> opFp(i, f3);
            default -> illegal(i, false);
        };
    }

    private static long store(int op, int i) {
        int imm = ((i >> 20) & ~0x1f) | ((i >>> 7) & 0x1f);
        return Insn.pack(op, 0, rs1(i), rs2(i), 0, imm, false);
    }

    private static long opImm(int i, int immI, int f3) {
        int shamt = immI & 0x3f;
        int f6 = (i >>> 26);
        int imm12 = (i >>> 20);
        return switch (f3) {
            case 0 -> iType(ADDI, i, immI);
            case 2 -> iType(SLTI, i, immI);
            case 3 -> iType(SLTIU, i, immI);
            case 4 -> iType(XORI, i, immI);
            case 6 -> iType(ORI, i, immI);
            case 7 -> iType(ANDI, i, immI);
            case 1 -> switch (f6) {
                case 0x00 -> iType(SLLI, i, shamt);
                case 0x12 -> iType(BCLRI, i, shamt);
                case 0x1a -> iType(BINVI, i, shamt);
                case 0x0a -> iType(BSETI, i, shamt);
                case 0x18 -> switch (imm12) {
                    case 0x600 -> iType(CLZ, i, 0);
                    case 0x601 -> iType(CTZ, i, 0);
                    case 0x602 -> iType(CPOP, i, 0);
                    case 0x604 -> iType(SEXT_B, i, 0);
                    case 0x605 -> iType(SEXT_H, i, 0);
                    default -> illegal(i, false);
                };
                default -> illegal(i, false);
            };
            case 5 -> {
                if (imm12 == 0x287) yield iType(ORC_B, i, 0);
                if (imm12 == 0x6b8) yield iType(REV8, i, 0);
                yield switch (f6) {
                    case 0x00 -> iType(SRLI, i, shamt);
                    case 0x10 -> iType(SRAI, i, shamt);
                    case 0x18 -> iType(RORI, i, shamt);
                    case 0x12 -> iType(BEXTI, i, shamt);
                    default -> illegal(i, false);
                };
            }
            default -> illegal(i, false);
        };
    }

    private static long opImm32(int i, int immI, int f3) {
        int shamt = immI & 0x1f;
        int f7 = funct7(i);
        return switch (f3) {
            case 0 -> iType(ADDIW, i, immI);
            case 1 -> {
                if (f7 == 0) yield iType(SLLIW, i, shamt);
                if ((i >>> 26) == 0x02) yield iType(SLLI_UW, i, immI & 0x3f);
                if (f7 == 0x30) {
                    yield switch (rs2(i)) {
                        case 0 -> iType(CLZW, i, 0);
                        case 1 -> iType(CTZW, i, 0);
                        case 2 -> iType(CPOPW, i, 0);
                        default -> illegal(i, false);
                    };
                }
                yield illegal(i, false);
            }
            case 5 -> switch (f7) {
                case 0x00 -> iType(SRLIW, i, shamt);
                case 0x20 -> iType(SRAIW, i, shamt);
                case 0x30 -> iType(RORIW, i, shamt);
                default -> illegal(i, false);
            };
            default -> illegal(i, false);
        };
    }

    private static long op(int i, int f3) {
        int op = switch (funct7(i)) {
            case 0x00 -> switch (f3) {
                case 0 -> ADD; case 1 -> SLL; case 2 -> SLT; case 3 -> SLTU;
                case 4 -> XOR; case 5 -> SRL; case 6 -> OR; default -> AND;
            };
            case 0x20 -> switch (f3) {
                case 0 -> SUB; case 5 -> SRA; case 4 -> XNOR; case 6 -> ORN; case 7 -> ANDN;
                default -> ILLEGAL;
            };
            case 0x01 -> switch (f3) {
                case 0 -> MUL; case 1 -> MULH; case 2 -> MULHSU; case 3 -> MULHU;
                case 4 -> DIV; case 5 -> DIVU; case 6 -> REM; default -> REMU;
            };
            case 0x10 -> switch (f3) {
                case 2 -> SH1ADD; case 4 -> SH2ADD; case 6 -> SH3ADD; default -> ILLEGAL;
            };
            case 0x05 -> switch (f3) {
                case 4 -> MIN; case 5 -> MINU; case 6 -> MAX; case 7 -> MAXU; default -> ILLEGAL;
            };
            case 0x30 -> f3 == 1 ? ROL : f3 == 5 ? ROR : ILLEGAL;
            case 0x24 -> f3 == 1 ? BCLR : f3 == 5 ? BEXT : ILLEGAL;
            case 0x34 -> f3 == 1 ? BINV : ILLEGAL;
            case 0x14 -> f3 == 1 ? BSET : ILLEGAL;
            default -> ILLEGAL;
        };
        return op == ILLEGAL ? illegal(i, false) : r(op, i);
    }

    private static long op32(int i, int f3) {
        int op = switch (funct7(i)) {
            case 0x00 -> f3 == 0 ? ADDW : f3 == 1 ? SLLW : f3 == 5 ? SRLW : ILLEGAL;
            case 0x20 -> f3 == 0 ? SUBW : f3 == 5 ? SRAW : ILLEGAL;
            case 0x01 -> switch (f3) {
                case 0 -> MULW; case 4 -> DIVW; case 5 -> DIVUW; case 6 -> REMW; case 7 -> REMUW;
                default -> ILLEGAL;
            };
            case 0x04 -> f3 == 0 ? ADD_UW : (f3 == 4 && rs2(i) == 0) ? ZEXT_H : ILLEGAL;
            case 0x10 -> switch (f3) {
                case 2 -> SH1ADD_UW; case 4 -> SH2ADD_UW; case 6 -> SH3ADD_UW; default -> ILLEGAL;
            };
            case 0x30 -> f3 == 1 ? ROLW : f3 == 5 ? RORW : ILLEGAL;
            default -> ILLEGAL;
        };
        return op == ILLEGAL ? illegal(i, false) : r(op, i);
    }

    private static long system(int i, int f3) {
        if (f3 == 0) {
            if (funct7(i) == 0x09 && rd(i) == 0) return r(SFENCE_VMA, i);
            if (rd(i) != 0 || rs1(i) != 0) return illegal(i, false);
            return switch (i >>> 20) {
                case 0x000 -> Insn.pack(ECALL, 0, 0, 0, 0, 0, false);
                case 0x001 -> Insn.pack(EBREAK, 0, 0, 0, 0, 0, false);
                case 0x302 -> Insn.pack(MRET, 0, 0, 0, 0, 0, false);
                case 0x102 -> Insn.pack(SRET, 0, 0, 0, 0, 0, false);
                case 0x105 -> Insn.pack(WFI, 0, 0, 0, 0, 0, false);
                default -> illegal(i, false);
            };
        }
        int op = switch (f3) {
            case 1 -> CSRRW; case 2 -> CSRRS; case 3 -> CSRRC; case 5 -> CSRRWI; case 6 -> CSRRSI; case 7 -> CSRRCI;
            default -> ILLEGAL;
        };
        if (op == ILLEGAL) return illegal(i, false);
        // rs1 holds the register or, for the *I forms, the 5-bit zero-extended immediate.
        return Insn.pack(op, rd(i), rs1(i), 0, 0, i >>> 20, false);
    }

    private static long amo(int i, int f3) {
        if (f3 != 2 && f3 != 3) return illegal(i, false);
        boolean w = f3 == 2;
        int op = switch (i >>> 27) {
            case 0x02 -> rs2(i) == 0 ? (w ? LR_W : LR_D) : ILLEGAL;
            case 0x03 -> w ? SC_W : SC_D;
            case 0x01 -> w ? AMOSWAP_W : AMOSWAP_D;
            case 0x00 -> w ? AMOADD_W : AMOADD_D;
            case 0x04 -> w ? AMOXOR_W : AMOXOR_D;
            case 0x0c -> w ? AMOAND_W : AMOAND_D;
            case 0x08 -> w ? AMOOR_W : AMOOR_D;
            case 0x10 -> w ? AMOMIN_W : AMOMIN_D;
            case 0x14 -> w ? AMOMAX_W : AMOMAX_D;
            case 0x18 -> w ? AMOMINU_W : AMOMINU_D;
            case 0x1c -> w ? AMOMAXU_W : AMOMAXU_D;
            default -> ILLEGAL;
        };
        return op == ILLEGAL ? illegal(i, false) : r(op, i);
    }

    private static long fused(int i, int single, int dbl) {
        int fmt = (i >>> 25) & 3;
        if (fmt > 1) return illegal(i, false);
        return Insn.pack(fmt == 0 ? single : dbl, rd(i), rs1(i), rs2(i), i >>> 27, funct3(i), false);
    }

    private static long opFp(int i, int f3) {
        int f7 = funct7(i);
        int rs2 = rs2(i);
        int op = switch (f7) {
            case 0x00 -> FADD_S; case 0x01 -> FADD_D;
            case 0x04 -> FSUB_S; case 0x05 -> FSUB_D;
            case 0x08 -> FMUL_S; case 0x09 -> FMUL_D;
            case 0x0c -> FDIV_S; case 0x0d -> FDIV_D;
            case 0x2c -> rs2 == 0 ? FSQRT_S : ILLEGAL;
            case 0x2d -> rs2 == 0 ? FSQRT_D : ILLEGAL;
            case 0x10 -> f3 == 0 ? FSGNJ_S : f3 == 1 ? FSGNJN_S : f3 == 2 ? FSGNJX_S : ILLEGAL;
            case 0x11 -> f3 == 0 ? FSGNJ_D : f3 == 1 ? FSGNJN_D : f3 == 2 ? FSGNJX_D : ILLEGAL;
            case 0x14 -> f3 == 0 ? FMIN_S : f3 == 1 ? FMAX_S : ILLEGAL;
            case 0x15 -> f3 == 0 ? FMIN_D : f3 == 1 ? FMAX_D : ILLEGAL;
            case 0x20 -> rs2 == 1 ? FCVT_S_D : ILLEGAL;
            case 0x21 -> rs2 == 0 ? FCVT_D_S : ILLEGAL;
            case 0x60 -> switch (rs2) { case 0 -> FCVT_W_S; case 1 -> FCVT_WU_S; case 2 -> FCVT_L_S; case 3 -> FCVT_LU_S; default -> ILLEGAL; };
            case 0x61 -> switch (rs2) { case 0 -> FCVT_W_D; case 1 -> FCVT_WU_D; case 2 -> FCVT_L_D; case 3 -> FCVT_LU_D; default -> ILLEGAL; };
            case 0x68 -> switch (rs2) { case 0 -> FCVT_S_W; case 1 -> FCVT_S_WU; case 2 -> FCVT_S_L; case 3 -> FCVT_S_LU; default -> ILLEGAL; };
            case 0x69 -> switch (rs2) { case 0 -> FCVT_D_W; case 1 -> FCVT_D_WU; case 2 -> FCVT_D_L; case 3 -> FCVT_D_LU; default -> ILLEGAL; };
            case 0x70 -> rs2 != 0 ? ILLEGAL : f3 == 0 ? FMV_X_W : f3 == 1 ? FCLASS_S : ILLEGAL;
            case 0x71 -> rs2 != 0 ? ILLEGAL : f3 == 0 ? FMV_X_D : f3 == 1 ? FCLASS_D : ILLEGAL;
            case 0x50 -> f3 == 0 ? FLE_S : f3 == 1 ? FLT_S : f3 == 2 ? FEQ_S : ILLEGAL;
            case 0x51 -> f3 == 0 ? FLE_D : f3 == 1 ? FLT_D : f3 == 2 ? FEQ_D : ILLEGAL;
            case 0x78 -> rs2 == 0 && f3 == 0 ? FMV_W_X : ILLEGAL;
            case 0x79 -> rs2 == 0 && f3 == 0 ? FMV_D_X : ILLEGAL;
            default -> ILLEGAL;
        };
        // The rounding mode travels in the immediate; it is validated when executed (frm may change).
        return op == ILLEGAL ? illegal(i, false) : Insn.pack(op, rd(i), rs1(i), rs2, 0, f3, false);
    }

    // ---- 16-bit forms ("C" chapter, RVC instruction listings for RV64C) ----

    private static long c(int op, int rd, int rs1, int rs2, int imm) {
        return Insn.pack(op, rd, rs1, rs2, 0, imm, true);
    }

    private static int sext(int value, int bits) {
        return (value << (32 - bits)) >> (32 - bits);
    }

    static long decodeCompressed(int i) {
        int rdp = 8 + ((i >>> 2) & 7);
        int rs1p = 8 + ((i >>> 7) & 7);
        int rd = (i >>> 7) & 31;
        int rs2 = (i >>> 2) & 31;
        int imm6 = sext(((i >>> 7) & 0x20) | ((i >>> 2) & 0x1f), 6);
        int f3 = (i >>> 13) & 7;
        switch (i & 3) {
            case 0 -> {
                int immD = ((i >>> 7) & 0x38) | ((i << 1) & 0xc0);
                int immW = ((i >>> 7) & 0x38) | ((i >>> 4) & 4) | ((i << 1) & 0x40);
                switch (f3) {
                    case 0 -> {
                        int imm = ((i >>> 7) & 0x30) | ((i >>> 1) & 0x3c0) | ((i >>> 4) & 4) | ((i >>> 2) & 8);
                        return imm == 0 ? illegal(i, true) : c(ADDI, rdp, 2, 0, imm);
                    }
                    case 1 -> { return c(FLD, rdp, rs1p, 0, immD); }
                    case 2 -> { return c(LW, rdp, rs1p, 0, immW); }
                    case 3 -> { return c(LD, rdp, rs1p, 0, immD); }
                    case 5 -> { return c(FSD, 0, rs1p, rdp, immD); }
                    case 6 -> { return c(SW, 0, rs1p, rdp, immW); }
                    case 7 -> { return c(SD, 0, rs1p, rdp, immD); }
                    default -> { return illegal(i, true); }
                }
            }
            case 1 -> {
                switch (f3) {
                    case 0 -> { return c(ADDI, rd, rd, 0, imm6); }
                    case 1 -> { return rd == 0 ? illegal(i, true) : c(ADDIW, rd, rd, 0, imm6); }
                    case 2 -> { return c(ADDI, rd, 0, 0, imm6); }
                    case 3 -> {
                        if (rd == 2) {
                            int imm = sext(((i >>> 3) & 0x200) | ((i >>> 2) & 0x10) | ((i << 1) & 0x40)
                                    | ((i << 4) & 0x180) | ((i << 3) & 0x20), 10);
                            return imm == 0 ? illegal(i, true) : c(ADDI, 2, 2, 0, imm);
                        }
                        int imm = sext(((i << 5) & 0x20000) | ((i << 10) & 0x1f000), 18);
                        return imm == 0 ? illegal(i, true) : c(LUI, rd, 0, 0, imm);
                    }
                    case 4 -> { return miscAlu(i, rs1p, rdp, imm6); }
                    case 5 -> {
                        int imm = sext(((i >>> 1) & 0x800) | ((i >>> 7) & 0x10) | ((i >>> 1) & 0x300) | ((i << 2) & 0x400)
                                | ((i >>> 1) & 0x40) | ((i << 1) & 0x80) | ((i >>> 2) & 0xe) | ((i << 3) & 0x20), 12);
                        return c(JAL, 0, 0, 0, imm);
                    }
                    default -> {
                        int imm = sext(((i >>> 4) & 0x100) | ((i >>> 7) & 0x18) | ((i << 1) & 0xc0)
                                | ((i >>> 2) & 6) | ((i << 3) & 0x20), 9);
                        return c(f3 == 6 ? BEQ : BNE, 0, rs1p, 0, imm);
                    }
                }
            }
            default -> {
                int immLdsp = ((i >>> 7) & 0x20) | ((i >>> 2) & 0x18) | ((i << 4) & 0x1c0);
                int immSdsp = ((i >>> 7) & 0x38) | ((i >>> 1) & 0x1c0);
                switch (f3) {
                    case 0 -> { return c(SLLI, rd, rd, 0, imm6 & 0x3f); }
                    case 1 -> { return c(FLD, rd, 2, 0, immLdsp); }
                    case 2 -> {
                        int imm = ((i >>> 7) & 0x20) | ((i >>> 2) & 0x1c) | ((i << 4) & 0xc0);
                        return rd == 0 ? illegal(i, true) : c(LW, rd, 2, 0, imm);
                    }
                    case 3 -> { return rd == 0 ? illegal(i, true) : c(LD, rd, 2, 0, immLdsp); }
                    case 4 -> {
                        boolean bit12 = (i & 0x1000) != 0;
                        if (!bit12) {
                            if (rs2 == 0) return rd == 0 ? illegal(i, true) : c(JALR, 0, rd, 0, 0);
                            return c(ADD, rd, 0, rs2, 0);
                        }
                        if (rs2 == 0) return rd == 0 ? c(EBREAK, 0, 0, 0, 0) : c(JALR, 1, rd, 0, 0);
                        return c(ADD, rd, rd, rs2, 0);
                    }
                    case 5 -> { return c(FSD, 0, 2, rs2, immSdsp); }
                    case 6 -> { return c(SW, 0, 2, rs2, ((i >>> 7) & 0x3c) | ((i >>> 1) & 0xc0)); }
                    default -> { return c(SD, 0, 2, rs2, immSdsp); }
                }
            }
        }
    }

    private static long miscAlu(int i, int rs1p, int rs2p, int imm6) {
        switch ((i >>> 10) & 3) {
            case 0 -> { return c(SRLI, rs1p, rs1p, 0, imm6 & 0x3f); }
            case 1 -> { return c(SRAI, rs1p, rs1p, 0, imm6 & 0x3f); }
            case 2 -> { return c(ANDI, rs1p, rs1p, 0, imm6); }
            default -> {
                int sub = (i >>> 5) & 3;
                if ((i & 0x1000) == 0) {
                    int op = sub == 0 ? SUB : sub == 1 ? XOR : sub == 2 ? OR : AND;
                    return c(op, rs1p, rs1p, rs2p, 0);
                }
                if (sub == 0) return c(SUBW, rs1p, rs1p, rs2p, 0);
                if (sub == 1) return c(ADDW, rs1p, rs1p, rs2p, 0);
                return illegal(i, true);
            }
        }
    }
}
