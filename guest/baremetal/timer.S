/*
 * timer: the CLINT's mtime / mtimecmp / msip and WFI (priv spec machine.adoc "Machine Timer
 * Registers (mtime and mtimecmp)", "Wait for Interrupt"; RISC-V ACLINT spec MTIMER and MSWI).
 *  - mtime counts up at 10 MHz; the time CSR shadows it (also after mtime is written);
 *  - MTIP follows mtime >= mtimecmp; a timer interrupt wakes WFI and traps with mcause 7
 *    no earlier than mtimecmp; WFI with mstatus.MIE = 0 still wakes (no trap);
 *  - mtimecmp can be written as two 32-bit halves;
 *  - msip bit 0 drives mip.MSIP; with MSIE and MIE set it traps with mcause 3.
 */
#include "bm.h"

#define WAIT_TICKS 20000            /* 2 ms */

    .text
    .globl main
main:
    li s0, CLINT_MTIME
    li s1, CLINT_MTIMECMP
    li s2, CLINT_MSIP

    /* ---- mtime runs, and the time CSR follows it */
    ld t0, 0(s0)
    li t2, 20000
1:  addi t2, t2, -1
    bnez t2, 1b
    ld t1, 0(s0)
    bgtu t1, t0, 1f
    FAIL 1
1:  ld t0, 0(s0)
    rdtime t1
    ld t2, 0(s0)
    bgeu t1, t0, 1f
    FAIL 2
1:  bgeu t2, t1, 1f
    FAIL 3
1:
    /* ---- mtimecmp in two 32-bit halves */
    li t0, -1
    sw t0, 4(s1)
    li t0, 0x89abcdef
    sw t0, 0(s1)
    li t0, 0x01234567
    sw t0, 4(s1)
    ld t1, 0(s1)
    CHECK_EQ t1, 0x0123456789abcdef, 4
    lwu t1, 4(s1)
    CHECK_EQ t1, 0x01234567, 5
    li t0, -1
    sd t0, 0(s1)
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK_EQ t0, 0, 6

    /* ---- a timer interrupt wakes WFI */
    CLEAR_TRAPS
    li t0, MIP_MTIP
    csrw mie, t0
    ld s3, 0(s0)
    li t0, WAIT_TICKS
    add s3, s3, t0
    sd s3, 0(s1)
    csrsi mstatus, MSTATUS_MIE
1:  ld t0, trap_count
    bnez t0, 2f
    wfi
after_wfi:
    j 1b
2:  csrci mstatus, MSTATUS_MIE
    ld t1, 0(s0)
    bgeu t1, s3, 1f                 /* not before mtimecmp */
    FAIL 10
1:  CHECK_MEM trap_cause, INTERRUPT | IRQ_M_TIMER, 11
    CHECK_MEM_ADDR trap_epc, after_wfi, 12
    CHECK_MEM trap_count, 1, 13
    ld t0, 0(s1)                    /* the handler moved mtimecmp to "never" */
    CHECK_EQ t0, -1, 14
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK_EQ t0, 0, 15

    /* ---- WFI wakes on a pending, enabled interrupt even with mstatus.MIE = 0 */
    CLEAR_TRAPS
    ld s3, 0(s0)
    li t0, WAIT_TICKS
    add s3, s3, t0
    sd s3, 0(s1)
1:  wfi
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    beqz t0, 1b
    ld t1, 0(s0)
    bgeu t1, s3, 1f
    FAIL 20
1:  CHECK_MEM trap_count, 0, 21
    /* MTIP goes away when mtimecmp moves past mtime */
    li t0, -1
    sd t0, 0(s1)
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK_EQ t0, 0, 22
    /* mtimecmp at or below mtime: pending at once */
    ld t0, 0(s0)
    sd t0, 0(s1)
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK_EQ t0, MIP_MTIP, 23
    li t0, -1
    sd t0, 0(s1)

    /* ---- msip */
    CLEAR_TRAPS
    csrw mie, zero
    li t0, 1
    sw t0, 0(s2)
    lw t0, 0(s2)
    CHECK_EQ t0, 1, 30
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK_EQ t0, MIP_MSIP, 31
    li t0, 0xfffffffe               /* only bit 0 is implemented */
    sw t0, 0(s2)
    lw t0, 0(s2)
    CHECK_EQ t0, 0, 32
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    CHECK_EQ t0, 0, 33
    li t0, MIP_MSIP
    csrw mie, t0
    li t0, 1
    sw t0, 0(s2)
    csrsi mstatus, MSTATUS_MIE       /* taken at once */
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_MEM trap_count, 1, 36
    CHECK_MEM trap_cause, INTERRUPT | IRQ_M_SOFT, 34
    lw t0, 0(s2)
    CHECK_EQ t0, 0, 35
    csrw mie, zero

    /* ---- writing mtime moves the time CSR and the comparisons with it */
    ld t0, 0(s0)
    li t1, 1000 * TIMEBASE_HZ       /* 1000 s ahead */
    add s3, t0, t1
    sd s3, 0(s0)
    rdtime t0
    bgeu t0, s3, 1f
    FAIL 40
1:  ld t0, 0(s0)
    bgeu t0, s3, 1f
    FAIL 41
1:  sd s3, 0(s1)                    /* mtimecmp = the new mtime: due */
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    CHECK_EQ t0, MIP_MTIP, 42
    li t0, -1
    sd t0, 0(s1)
    j pass
