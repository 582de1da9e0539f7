/*
 * sstc: the supervisor timer of the Sstc extension (priv spec sstc.adoc; supervisor.adoc
 * "Supervisor Timer Register (stimecmp)"; machine.adoc "Machine Environment Configuration
 * Register (menvcfg)").
 *  - menvcfg.STCE = 0: stimecmp is illegal outside M-mode, and mip.STIP is writable by M;
 *  - STCE = 1: STIP = (time >= stimecmp), read-only in mip; it raises a supervisor timer interrupt
 *    (scause 5 when delegated) that wakes WFI in S-mode no earlier than stimecmp;
 *  - not delegated, the same interrupt goes to M while in S.
 */
#include "bm.h"

#define WAIT_TICKS 20000            /* 2 ms */

    .text
    .globl main
main:
    la t0, s_trap_record
    csrw stvec, t0
    li t0, 2                        /* mcounteren.TM: S may read time */
    csrw mcounteren, t0

    /* ---- STCE = 0 */
    csrw menvcfg, zero
    li t0, -1
    csrw stimecmp, t0               /* M-mode may always access it */
    li t0, MIP_STIP
    csrs mip, t0                    /* STIP is an ordinary writable bit */
    csrr t1, mip
    and t1, t1, t0
    CHECK_EQ t1, MIP_STIP, 1
    csrc mip, t0
    M_TO_S s_no_stce
s_no_stce:
    CLEAR_TRAPS
    EXPECT_M 1f
s_ill:
    csrr a0, stimecmp
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 2
    CHECK_MEM_ADDR trap_epc, s_ill, 3
    TO_M m_stce

    /* ---- STCE = 1, STIP delegated */
m_stce:
    li t0, MENVCFG_STCE
    csrs menvcfg, t0
    csrr t1, menvcfg
    and t1, t1, t0
    CHECK_EQ t1, MENVCFG_STCE, 10
    li t0, -1
    csrw stimecmp, t0
    li t0, MIP_STIP
    csrs mip, t0                    /* read-only now: no effect */
    csrr t1, mip
    and t1, t1, t0
    CHECK_EQ t1, 0, 11
    csrw mideleg, t0
    csrw mie, t0
    M_TO_S s_stce
s_stce:
    CLEAR_TRAPS
    csrr t0, stimecmp
    CHECK_EQ t0, -1, 12
    /* STIP rises when time reaches stimecmp (SIE = 0: nothing taken yet) */
    rdtime s0
    li t0, WAIT_TICKS
    add s0, s0, t0
    csrw stimecmp, s0
    csrr t0, sip
    andi t0, t0, MIP_STIP
    CHECK_EQ t0, 0, 13
1:  csrr t0, sip
    andi t0, t0, MIP_STIP
    beqz t0, 1b
    rdtime t0
    bgeu t0, s0, 1f
    FAIL 14
1:  CHECK_MEM strap_count, 0, 15
    csrsi sstatus, MSTATUS_SIE      /* now taken */
s_taken:
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_MEM strap_count, 1, 16
    CHECK_MEM strap_cause, INTERRUPT | IRQ_S_TIMER, 17
    CHECK_MEM_ADDR strap_epc, s_taken, 18
    csrr t0, sip                    /* the handler wrote stimecmp = -1 */
    andi t0, t0, MIP_STIP
    CHECK_EQ t0, 0, 19
    /* a later stimecmp clears STIP again */
    csrw stimecmp, zero
    csrr t0, sip
    andi t0, t0, MIP_STIP
    CHECK_EQ t0, MIP_STIP, 20
    li t0, -1
    csrw stimecmp, t0
    csrr t0, sip
    andi t0, t0, MIP_STIP
    CHECK_EQ t0, 0, 21

    /* ---- WFI in S wakes on the supervisor timer */
    CLEAR_TRAPS
    rdtime s0
    li t0, WAIT_TICKS
    add s0, s0, t0
    csrw stimecmp, s0
    csrsi sstatus, MSTATUS_SIE
1:  ld t0, strap_count
    bnez t0, 2f
    wfi
    j 1b
2:  csrci sstatus, MSTATUS_SIE
    rdtime t0
    bgeu t0, s0, 1f
    FAIL 30
1:  CHECK_MEM strap_cause, INTERRUPT | IRQ_S_TIMER, 31
    CHECK_MEM trap_count, 0, 32
    TO_M m_nodeleg

    /* ---- not delegated: M takes it while in S, even with mstatus.MIE = 0 */
m_nodeleg:
    csrw mideleg, zero
    li t0, MSTATUS_MIE | MSTATUS_MPIE
    csrc mstatus, t0
    M_TO_S s_nodeleg
s_nodeleg:
    CLEAR_TRAPS
    csrw stimecmp, zero
s_taken_m:
    nop
    CHECK_MEM trap_count, 1, 40
    CHECK_MEM trap_cause, INTERRUPT | IRQ_S_TIMER, 41
    CHECK_MEM_ADDR trap_epc, s_taken_m, 44
    CHECK_MEM strap_count, 0, 42
    csrr t0, stimecmp               /* the M handler wrote -1 */
    CHECK_EQ t0, -1, 43
    TO_M done
done:
    csrw mie, zero
    csrw menvcfg, zero
    j pass
