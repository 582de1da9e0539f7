/*
 * fpu: mstatus.FS (priv spec machine.adoc "Extension Context Status in mstatus Register").
 *  - FS = Off: every floating-point instruction and fcsr/frm/fflags access is illegal (mtval =
 *    the instruction bits), in M and in S;
 *  - FS = Initial or Clean: FP works, and writing FP state makes FS Dirty with SD set
 *    (mstatus and sstatus).
 */
#include "bm.h"

.macro ILLEGAL_M n, insn:vararg
    EXPECT_M .Lill\@
.Linsn\@:
    \insn
    NO_TRAP
.Lill\@:
    CHECK_MEM trap_cause, CAUSE_ILLEGAL, \n
    CHECK_MEM_ADDR trap_epc, .Linsn\@, \n
    la t3, .Linsn\@                  /* mtval: 16 or 32 instruction bits */
    lhu t4, 0(t3)
    andi t4, t4, 3
    li t2, 3
    bne t4, t2, .Lshort\@
    lwu t3, 0(t3)
    j .Lcmp\@
.Lshort\@:
    lhu t3, 0(t3)
.Lcmp\@:
    ld t4, trap_tval
    beq t3, t4, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

    .text
    .globl main
main:
    la s0, fpdata
    csrr t0, mstatus
    li t1, MSTATUS_FS
    and t0, t0, t1
    CHECK_EQ t0, 0, 1               /* Off at reset */

    /* ---- FS = Off in M */
    CLEAR_TRAPS
    ILLEGAL_M 2, fld f1, 0(s0)
    ILLEGAL_M 3, fadd.d f0, f1, f2
    ILLEGAL_M 4, fsd f1, 0(s0)
    ILLEGAL_M 5, fmv.x.d a0, f1
    ILLEGAL_M 6, fmv.w.x f3, zero
    ILLEGAL_M 7, frcsr a0
    ILLEGAL_M 8, fsflags zero
    ILLEGAL_M 9, csrr a0, frm
    ILLEGAL_M 10, c.fld f8, 0(s0)
    ILLEGAL_M 11, c.fsdsp f1, 0(sp)
    CHECK_MEM trap_count, 10, 12

    /* ---- FS = Initial: FP works and FS becomes Dirty */
    li t0, FS_INITIAL
    csrs mstatus, t0
    csrr t0, mstatus
    bltz t0, 1f                     /* SD clear while not Dirty */
    j 2f
1:  FAIL 20
2:  fld f1, 0(s0)                   /* 1.5 */
    fld f2, 8(s0)                   /* 2.25 */
    fadd.d f0, f1, f2
    fmv.x.d t0, f0
    ld t1, 16(s0)                   /* 3.75 */
    CHECK_REG t0, t1, 21
    csrr t0, mstatus
    li t1, MSTATUS_FS
    and t2, t0, t1
    CHECK_EQ t2, FS_DIRTY, 22
    bltz t0, 1f                     /* SD set */
    FAIL 23
1:  csrr t0, sstatus
    bltz t0, 1f
    FAIL 24
1:  /* fcsr: frm and fflags; 1/0 sets DZ */
    fscsr zero
    li t0, 3 << 5                   /* frm = RUP */
    fscsr t0
    frrm t0
    CHECK_EQ t0, 3, 25
    fmv.d.x f3, zero
    fdiv.d f4, f1, f3
    frflags t0
    CHECK_EQ t0, 8, 26              /* DZ */
    fscsr zero
    /* Clean, then a write makes it Dirty again */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, 2 << 13
    csrs mstatus, t0
    fmv.d.x f5, zero
    csrr t0, mstatus
    li t1, MSTATUS_FS
    and t0, t0, t1
    CHECK_EQ t0, FS_DIRTY, 27

    /* ---- FS = Off in S */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    M_TO_S s_off
s_off:
    CLEAR_TRAPS
    ILLEGAL_M 30, fadd.d f0, f1, f2
    ILLEGAL_M 31, frcsr a0
    CHECK_MEM trap_count, 2, 32
    li t0, FS_INITIAL               /* sstatus.FS is the same field */
    csrs sstatus, t0
    fadd.d f0, f1, f2
    fmv.x.d t0, f0
    ld t1, 16(s0)
    CHECK_REG t0, t1, 33
    csrr t0, sstatus
    li t1, MSTATUS_FS
    and t0, t0, t1
    CHECK_EQ t0, FS_DIRTY, 34
    CHECK_MEM trap_count, 2, 35
    TO_M done
done:
    j pass

    .data
    .balign 8
fpdata:
    .double 1.5
    .double 2.25
    .double 3.75
