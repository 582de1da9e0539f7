/*
 * delegation: medeleg / mideleg (priv spec machine.adoc "Machine Trap Delegation Registers",
 * "Machine Interrupt Registers"; supervisor.adoc "Supervisor Interrupt Registers").
 *  - medeleg/mideleg hold the delegated causes; mideleg only SSIP/STIP/SEIP (M-level interrupts
 *    cannot be delegated).
 *  - delegated exceptions from S and U go to stvec with scause/sepc/stval and SPP; the same
 *    exception in M-mode stays in M; a non-delegated one from S/U goes to M.
 *  - a delegated interrupt (SSIP) is not taken in M, is taken in S only with sstatus.SIE, and is
 *    always taken in U; sip/sie show only delegated bits.
 *  - a non-delegated interrupt (MTIP, SSIP) pending while in S is taken by M even with
 *    mstatus.MIE = 0.
 */
#include "bm.h"

#define DELEGATED (1 << CAUSE_ILLEGAL | 1 << CAUSE_BREAKPOINT | 1 << CAUSE_ECALL_U | \
                   1 << CAUSE_FETCH_PAGE_FAULT | 1 << CAUSE_LOAD_PAGE_FAULT | 1 << CAUSE_STORE_PAGE_FAULT)

    .text
    .globl main
main:
    la t0, s_trap_record
    csrw stvec, t0

    /* ---- the registers */
    li t0, DELEGATED
    csrw medeleg, t0
    csrr t1, medeleg
    CHECK_EQ t1, DELEGATED, 1
    li t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP | MIP_MEIP
    csrw mideleg, t0
    csrr t1, mideleg
    and t1, t1, t0                  /* (with the H extension, VS bits read as one) */
    CHECK_EQ t1, MIP_SSIP | MIP_STIP | MIP_SEIP, 2
    csrw mideleg, zero

    /* ---- an exception in M-mode stays in M even when delegated */
    CLEAR_TRAPS
    EXPECT_M 1f
m_ill:
    .word 0xffffffff
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 3
    CHECK_MEM_ADDR trap_epc, m_ill, 4
    CHECK_MEM strap_count, 0, 5

    /* ---- delegated exceptions from S */
    M_TO_S in_s
in_s:
    CLEAR_TRAPS
    EXPECT_S 1f
s_ill:
    .word 0xffffffff
    NO_TRAP
1:  CHECK_MEM strap_cause, CAUSE_ILLEGAL, 10
    CHECK_MEM_ADDR strap_epc, s_ill, 11
    CHECK_MEM strap_tval, 0xffffffff, 12
    ld t0, strap_status
    andi t0, t0, MSTATUS_SPP
    CHECK_EQ t0, MSTATUS_SPP, 13
    CHECK_MEM trap_count, 0, 14
    csrr t0, scause                 /* the S-mode CSRs themselves */
    CHECK_EQ t0, CAUSE_ILLEGAL, 15
    csrr t0, stval
    CHECK_EQ t0, 0xffffffff, 16
    /* ecall from S is not delegated: to M */
    li a7, 0
    EXPECT_M 1f
s_ecall:
    ecall
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ECALL_S, 17
    CHECK_MEM_ADDR trap_epc, s_ecall, 18
    CHECK_MEM strap_count, 1, 19
    S_TO_U in_u

    /* ---- delegated exceptions from U */
in_u:
    CLEAR_TRAPS
    li a7, 0
    EXPECT_S 1f
u_ecall:
    ecall
    NO_TRAP
1:  CHECK_MEM strap_cause, CAUSE_ECALL_U, 20
    CHECK_MEM_ADDR strap_epc, u_ecall, 21
    CHECK_MEM strap_tval, 0, 22
    ld t0, strap_status
    andi t0, t0, MSTATUS_SPP
    CHECK_EQ t0, 0, 23
    EXPECT_S 1f
u_brk:
    ebreak
    NO_TRAP
1:  CHECK_MEM strap_cause, CAUSE_BREAKPOINT, 24
    CHECK_MEM_ADDR strap_epc, u_brk, 25
    CHECK_MEM trap_count, 0, 26
    /* a load access fault is not delegated: to M, with MPP = U */
    EXPECT_M 1f
    li t0, 0x12000
    ld t0, 0(t0)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 27
    ld t0, trap_status
    li t1, MSTATUS_MPP
    and t0, t0, t1
    CHECK_EQ t0, 0, 28
    TO_M m_again

m_again:
    /* ecall from U without delegation goes to M */
    li t0, 1 << CAUSE_ECALL_U
    csrc medeleg, t0
    M_TO_U in_u2
in_u2:
    CLEAR_TRAPS
    li a7, 0
    EXPECT_M 1f
u_ecall2:
    ecall
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ECALL_U, 30
    CHECK_MEM_ADDR trap_epc, u_ecall2, 31
    CHECK_MEM strap_count, 0, 32
    TO_M m_irq

    /* ---- a delegated interrupt: supervisor software interrupt */
m_irq:
    CLEAR_TRAPS
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrs mie, t0
    csrs mip, t0
    li t0, MSTATUS_MIE | MSTATUS_SIE
    csrs mstatus, t0
    nop                             /* not taken in M, whatever the enables */
    nop
    CHECK_MEM trap_count, 0, 40
    CHECK_MEM strap_count, 0, 41
    csrr t0, mip
    andi t0, t0, MIP_SSIP
    CHECK_EQ t0, MIP_SSIP, 42
    li t0, MSTATUS_SIE
    csrc mstatus, t0
    li t0, MSTATUS_MIE
    csrc mstatus, t0
    M_TO_S s_irq
s_irq:
    nop                             /* SIE = 0: not taken in S */
    CHECK_MEM strap_count, 0, 43
    csrr t0, sip
    CHECK_EQ t0, MIP_SSIP, 44       /* sip shows only delegated interrupts */
    csrr t0, sie
    CHECK_EQ t0, MIP_SSIP, 45
    li t0, -1
    csrs sie, t0                    /* non-delegated bits of sie are read-only zero */
    csrr t0, sie
    CHECK_EQ t0, MIP_SSIP, 46
    csrsi sstatus, MSTATUS_SIE
s_taken:
    nop                             /* taken before this instruction */
    csrci sstatus, MSTATUS_SIE
    CHECK_MEM strap_count, 1, 47
    CHECK_MEM strap_cause, INTERRUPT | IRQ_S_SOFT, 48
    CHECK_MEM_ADDR strap_epc, s_taken, 49
    CHECK_MEM trap_count, 0, 50
    csrr t0, sip
    CHECK_EQ t0, 0, 51              /* the handler cleared it */
    /* in U the supervisor interrupt is taken whatever sstatus.SIE says */
    csrsi sip, MIP_SSIP
    CHECK_MEM strap_count, 1, 52
    S_TO_U u_irq
u_irq:
    nop
    CHECK_MEM strap_count, 2, 53
    CHECK_MEM_ADDR strap_epc, u_irq, 54
    ld t0, strap_status
    andi t0, t0, MSTATUS_SPP
    CHECK_EQ t0, 0, 55
    TO_M m_irq2

    /* ---- non-delegated interrupts pending in S are taken by M even with MIE = 0 */
m_irq2:
    CLEAR_TRAPS
    csrw mideleg, zero
    li t0, MSTATUS_MIE | MSTATUS_MPIE   /* and MIE stays 0 after the mret below */
    csrc mstatus, t0
    li t0, MIP_MTIP
    csrw mie, t0
    li t0, CLINT_MTIMECMP           /* mtimecmp = 0: MTIP now */
    sd zero, 0(t0)
1:  csrr t0, mip
    andi t0, t0, MIP_MTIP
    beqz t0, 1b
    CHECK_MEM trap_count, 0, 60
    M_TO_S s_mti
s_mti:
    nop
    CHECK_MEM trap_count, 1, 61
    CHECK_MEM trap_cause, INTERRUPT | IRQ_M_TIMER, 62
    CHECK_MEM_ADDR trap_epc, s_mti, 63
    ld t0, trap_status
    li t1, MSTATUS_MPP
    and t0, t0, t1
    CHECK_EQ t0, MPP_S, 64
    CHECK_MEM strap_count, 0, 65
    TO_M m_ssi
m_ssi:
    /* SSIP not delegated: sip.SSIP is invisible to S, M takes it in S */
    li t0, MIP_SSIP
    csrw mie, t0
    csrs mip, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    CHECK_MEM trap_count, 1, 66
    M_TO_S s_ssi
s_ssi:
    nop
    CHECK_MEM trap_count, 2, 67
    CHECK_MEM trap_cause, INTERRUPT | IRQ_S_SOFT, 68
    CHECK_MEM_ADDR trap_epc, s_ssi, 69
    CHECK_MEM strap_count, 0, 70
    TO_M done
done:
    csrw mie, zero
    j pass
