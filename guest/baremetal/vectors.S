/*
 * vectors: direct and vectored mtvec / stvec (priv spec machine.adoc "Machine Trap-Vector
 * Base-Address Register (mtvec)", supervisor.adoc "Supervisor Trap Vector Base Address Register").
 *  - direct (MODE 0): exceptions and interrupts all enter at BASE;
 *  - vectored (MODE 1): exceptions enter at BASE, interrupt cause i at BASE + 4*i
 *    (M: MSI 3, MTI 7, SSI 1 when not delegated; S: SSI 1, STI 5);
 *  - MODE >= 2 is reserved: writing it leaves the register unchanged (QEMU and Rivet).
 */
#include "bm.h"

/* A vector entry that records which entry ran in vec_hit, then goes to the recording handler. */
.macro ENTRY id, handler
    li t6, \id
    j entry_common_\handler
.endm

    .text
    .globl main
main:
    /* ---- M, direct: a software interrupt enters at BASE */
    CLEAR_TRAPS
    la t0, m_direct
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK_REG t0, t1, 1
    li t0, MIP_MSIP
    csrw mie, t0
    li t1, CLINT_MSIP
    li t0, 1
    sw t0, 0(t1)
    csrsi mstatus, MSTATUS_MIE
1:  ld t0, trap_count               /* taken within a bounded time */
    beqz t0, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_MEM trap_cause, INTERRUPT | IRQ_M_SOFT, 2
    CHECK_MEM vec_hit, 100, 3
    /* an exception enters at BASE too */
    EXPECT_M 1f
    ebreak
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_BREAKPOINT, 4
    CHECK_MEM vec_hit, 100, 5

    /* ---- M, vectored */
    CLEAR_TRAPS
    sd zero, vec_hit, t0
    la t0, m_table
    ori t0, t0, 1
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK_REG t0, t1, 10
    EXPECT_M 1f
    ebreak                          /* exceptions: BASE */
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_BREAKPOINT, 11
    CHECK_MEM vec_hit, 0x100, 12
    li t1, CLINT_MSIP               /* machine software interrupt: BASE + 12 */
    li t0, 1
    sw t0, 0(t1)
    csrsi mstatus, MSTATUS_MIE
1:  ld t0, trap_count
    li t1, 2
    bne t0, t1, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_MEM trap_cause, INTERRUPT | IRQ_M_SOFT, 13
    CHECK_MEM vec_hit, 3, 14
    li t0, MIP_MTIP                 /* machine timer interrupt: BASE + 28 */
    csrw mie, t0
    li t0, CLINT_MTIMECMP
    sd zero, 0(t0)
    csrsi mstatus, MSTATUS_MIE
1:  ld t0, trap_count
    li t1, 3
    bne t0, t1, 1b
    csrci mstatus, MSTATUS_MIE
    CHECK_MEM trap_cause, INTERRUPT | IRQ_M_TIMER, 15
    CHECK_MEM vec_hit, 7, 16
    li t0, MIP_SSIP                 /* supervisor software, not delegated, taken in M: BASE + 4 */
    csrw mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_MEM trap_count, 4, 17
    CHECK_MEM trap_cause, INTERRUPT | IRQ_S_SOFT, 18
    CHECK_MEM vec_hit, 1, 19
    /* reserved modes leave mtvec unchanged */
    csrr s0, mtvec
    la t0, m_direct
    ori t0, t0, 2
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK_REG s0, t1, 20
    ori t0, t0, 3
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK_REG s0, t1, 21
    la t0, m_trap_record
    csrw mtvec, t0
    csrw mie, zero

    /* ---- S, vectored, with SSIP and STIP delegated and the Sstc timer */
    CLEAR_TRAPS
    sd zero, vec_hit, t0
    li t0, MIP_SSIP | MIP_STIP
    csrw mideleg, t0
    csrw mie, t0
    li t0, 1 << CAUSE_BREAKPOINT
    csrw medeleg, t0
    li t0, MENVCFG_STCE
    csrs menvcfg, t0
    li t0, -1
    csrw stimecmp, t0
    li t0, 2                        /* mcounteren.TM: S may read time (and stimecmp) */
    csrs mcounteren, t0
    la t0, s_table
    ori t0, t0, 1
    csrw stvec, t0
    csrr t1, stvec
    CHECK_REG t0, t1, 30
    M_TO_S s_vec
s_vec:
    EXPECT_S 1f
    ebreak                          /* exceptions: BASE */
    NO_TRAP
1:  CHECK_MEM strap_cause, CAUSE_BREAKPOINT, 31
    CHECK_MEM vec_hit, 0x200, 32
    csrsi sip, MIP_SSIP             /* supervisor software interrupt: BASE + 4 */
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_MEM strap_count, 2, 33
    CHECK_MEM strap_cause, INTERRUPT | IRQ_S_SOFT, 34
    CHECK_MEM vec_hit, 0x201, 35
    csrw stimecmp, zero             /* supervisor timer interrupt: BASE + 20 */
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_MEM strap_count, 3, 36
    CHECK_MEM strap_cause, INTERRUPT | IRQ_S_TIMER, 37
    CHECK_MEM vec_hit, 0x205, 38
    /* S, direct: the timer enters at BASE */
    la t0, s_direct
    csrw stvec, t0
    csrw stimecmp, zero
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_MEM strap_count, 4, 39
    CHECK_MEM strap_cause, INTERRUPT | IRQ_S_TIMER, 40
    CHECK_MEM vec_hit, 0x300, 41
    /* reserved modes leave stvec unchanged */
    csrr s0, stvec
    ori t0, s0, 2
    csrw stvec, t0
    csrr t1, stvec
    CHECK_REG s0, t1, 42
    CHECK_MEM trap_count, 0, 43     /* nothing went to M */
    TO_M done
done:
    csrw mie, zero
    csrw mideleg, zero
    j pass

entry_common_m:
    sd t6, vec_hit, t5
    j m_trap_record
entry_common_s:
    sd t6, vec_hit, t5
    j s_trap_record

    .balign 4
m_direct:
    ENTRY 100, m
    .balign 4
s_direct:
    ENTRY 0x300, s

    /* Vector tables: one 4-byte jump per cause. */
    .option push
    .option norvc
    .balign 256
m_table:
    j m_exc     /* 0: exceptions */
    j m_ssi     /* 1 */
    j m_bad     /* 2 */
    j m_msi     /* 3 */
    j m_bad     /* 4 */
    j m_bad     /* 5 */
    j m_bad     /* 6 */
    j m_mti     /* 7 */
    j m_bad     /* 8 */
    j m_bad     /* 9 */
    j m_bad     /* 10 */
    j m_bad     /* 11 */
    .balign 256
s_table:
    j s_exc     /* 0: exceptions */
    j s_ssi     /* 1 */
    j s_bad     /* 2 */
    j s_bad     /* 3 */
    j s_bad     /* 4 */
    j s_sti     /* 5 */
    j s_bad     /* 6 */
    j s_bad     /* 7 */
    j s_bad     /* 8 */
    j s_bad     /* 9 */
    .option pop
m_exc:  ENTRY 0x100, m
m_ssi:  ENTRY 1, m
m_msi:  ENTRY 3, m
m_mti:  ENTRY 7, m
m_bad:  ENTRY 0xbad, m
s_exc:  ENTRY 0x200, s
s_ssi:  ENTRY 0x201, s
s_sti:  ENTRY 0x205, s
s_bad:  ENTRY 0xbad, s

    .data
    .balign 8
vec_hit: .dword 0
