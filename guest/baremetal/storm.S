/*
 * storm (run with --smp 2 / -smp 2): trap storms and wild accesses in M-mode must be delivered to
 * the guest's handler, every time, without wedging the machine (priv spec machine.adoc "Machine
 * Trap Vector", "Machine Cause Register").
 *  - hart 0: an illegal instruction re-executed 100000 times (the handler returns to it until
 *    the count is reached); stores and loads to addresses with nothing behind them, each seen by
 *    the handler with mcause 7/5 and mtval = the address;
 *  - hart 1: mtvec points into a three-instruction loop whose last instruction is a wild store,
 *    so it traps to the loop forever with MIE = 0; hart 0 watches its counter grow and ends the
 *    machine through the finisher, which must stop hart 1 too.
 */
#include "bm.h"

#define STORM 100000
#define WILD0 0x0
#define WILD1 0x12340
#define WILD2 0xf0000000

    .text
    .globl main, secondary_main
main:
    /* ---- illegal-instruction storm */
    la t0, storm_handler
    csrw mtvec, t0
ill:
    .word 0xffffffff
    la t0, m_trap_record
    csrw mtvec, t0
    CHECK_MEM storm_count, STORM, 1
    CHECK_MEM storm_bad, 0, 2

    /* ---- wild stores and loads */
    CLEAR_TRAPS
.irp addr, WILD0, WILD1, WILD2
    li s0, \addr
    EXPECT_M 1f
    sd s0, 0(s0)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_STORE_ACCESS, 10
    CHECK_MEM trap_tval, \addr, 11
    EXPECT_M 1f
    lw s1, 0(s0)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 12
    CHECK_MEM trap_tval, \addr, 13
.endr
    CHECK_MEM trap_count, 6, 14

    /* ---- hart 1 loops through traps: its counter grows and it saw store access faults */
    li t0, CLINT_MTIME
    ld s1, 0(t0)
    li t1, 20 * TIMEBASE_HZ
    add s1, s1, t1
1:  ld t0, self_count
    li t1, STORM
    bgeu t0, t1, 2f
    li t0, CLINT_MTIME
    ld t0, 0(t0)
    bltu t0, s1, 1b
    FAIL 20
2:  CHECK_MEM self_cause, CAUSE_STORE_ACCESS, 21
    CHECK_MEM_ADDR self_epc, self_wild, 22
    j pass

/* The storm handler: counts, returns to the illegal instruction until STORM, then skips it. */
    .balign 4
storm_handler:
    csrr t6, mcause
    addi t6, t6, -CAUSE_ILLEGAL
    beqz t6, 1f
    sd t6, storm_bad, t5
1:  ld t6, storm_count
    addi t6, t6, 1
    sd t6, storm_count, t5
    li t5, STORM
    bltu t6, t5, 2f
    csrr t6, mepc
    addi t6, t6, 4
    csrw mepc, t6
2:  mret

/* Hart 1: mtvec = self_loop; the wild store traps back to it, forever. */
secondary_main:
    li t0, 1
    bne a0, t0, 3f
    la s2, self_count
    li s1, 0
    la t0, self_loop
    csrw mtvec, t0
    .balign 4
self_loop:
    csrr t0, mcause
    sd t0, 8(s2)
    csrr t0, mepc
    sd t0, 16(s2)
    addi s1, s1, 1
    sd s1, 0(s2)
self_wild:
    sd zero, 0(zero)
    j self_wild                     /* not reached */
3:  wfi
    j 3b

    .data
    .balign 8
storm_count: .dword 0
storm_bad:   .dword 0
self_count:  .dword 0
self_cause:  .dword 0
self_epc:    .dword 0
