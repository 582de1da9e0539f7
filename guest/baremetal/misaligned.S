/*
 * misaligned: misaligned loads and stores to RAM in M- and S-mode (unprivileged spec "Load and
 * Store Instructions": they may be done in hardware or trap; priv spec machine.adoc
 * "Machine Cause Register"). Rivet, like QEMU, does them in hardware, including accesses that
 * cross a page boundary and FP loads/stores; this checks the values byte for byte.
 * Misaligned LR and AMOs must trap (A extension: "address-misaligned exception"): LR with
 * cause 4; an AMO with 6 (store/AMO address misaligned; QEMU 7.2 reports 4, so the cause is
 * printed for BareMetalTest to pin), both with mtval = the address.
 */
#include "bm.h"

/* The checks, from any mode with bare translation; check numbers \b + 0..29. */
.macro SUITE b
    la s0, pattern
    lh t0, 1(s0)
    CHECK_EQ t0, 0xffffffffffff8281, \b + 0
    lhu t0, 1(s0)
    CHECK_EQ t0, 0x8281, \b + 1
    lw t0, 3(s0)
    CHECK_EQ t0, 0xffffffff86858483, \b + 2
    lwu t0, 3(s0)
    CHECK_EQ t0, 0x86858483, \b + 3
    ld t0, 5(s0)
    CHECK_EQ t0, 0x8c8b8a8988878685, \b + 4
    ld t0, 7(s0)
    CHECK_EQ t0, 0x8e8d8c8b8a898887, \b + 5
    lw t0, 6(s0)                    /* within a dword, still misaligned */
    CHECK_EQ t0, 0xffffffff89888786, \b + 6
    /* stores */
    la s1, scratch
    sd zero, 0(s1)
    sd zero, 8(s1)
    li t0, 0x0102030405060708
    sd t0, 3(s1)
    ld t1, 0(s1)
    CHECK_EQ t1, 0x0405060708000000, \b + 7
    ld t1, 8(s1)
    CHECK_EQ t1, 0x010203, \b + 8
    sw t0, 9(s1)
    ld t1, 8(s1)
    CHECK_EQ t1, 0x0506070803, \b + 9
    sh t0, 15(s1)
    ld t1, 8(s1)
    CHECK_EQ t1, 0x0800000506070803, \b + 10
    lbu t1, 16(s1)
    CHECK_EQ t1, 0x07, \b + 11
    /* across a page boundary (the boundary is at cross + 16) */
    la s2, cross
    ld t0, 13(s2)
    CHECK_EQ t0, 0x94939291908f8e8d, \b + 12
    lw t0, 14(s2)
    CHECK_EQ t0, 0xffffffff91908f8e, \b + 13
    li t0, 0x1122334455667788
    sd t0, 11(s2)
    ld t1, 8(s2)
    CHECK_EQ t1, 0x44556677888a8988, \b + 14
    ld t1, 16(s2)
    CHECK_EQ t1, 0x9796959493112233, \b + 15
    li t0, 0x8f8e8d8c8b8a8988       /* restore the pattern */
    sd t0, 8(s2)
    li t0, 0x9796959493929190
    sd t0, 16(s2)
    /* floating point */
    fld f0, 5(s0)
    fmv.x.d t0, f0
    CHECK_EQ t0, 0x8c8b8a8988878685, \b + 16
    fsd f0, 1(s1)
    ld t1, 0(s1)
    CHECK_EQ t1, 0x8b8a898887868500, \b + 17
    flw f1, 2(s0)
    fmv.x.w t0, f1
    CHECK_EQ t0, 0xffffffff85848382, \b + 18
    /* LR and AMOs do trap */
    CLEAR_TRAPS
    addi s3, s1, 4
    EXPECT_M 1f
    lr.d t0, (s3)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_MISALIGNED_LOAD, \b + 19
    ld t0, trap_tval
    CHECK_REG t0, s3, \b + 20
    addi s3, s1, 2
    EXPECT_M 1f
    amoadd.w t0, t1, (s3)
    NO_TRAP
1:  ld t0, trap_cause
    li t1, CAUSE_MISALIGNED_STORE
    beq t0, t1, 2f
    CHECK_EQ t0, CAUSE_MISALIGNED_LOAD, \b + 21
2:  ld t0, trap_tval
    CHECK_REG t0, s3, \b + 22
.endm

    .text
    .globl main
main:
    li t0, FS_INITIAL
    csrs mstatus, t0
    SUITE 1
    ld s4, trap_cause
    NOTE "amo misaligned cause=", s4
    M_TO_S in_s
in_s:
    SUITE 31
    TO_M done
done:
    j pass

    .data
    .balign 8
pattern:
    .byte 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87
    .byte 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f
scratch:
    .space 32
    .balign 4096
    .space 4096 - 16
cross:
    .byte 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87
    .byte 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f
    .byte 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97
