/*
 * smp (run with --smp 4 / -smp 4): harts, IPIs and atomics (priv spec machine.adoc "Hart ID
 * Register", "Machine Interrupt Registers"; ACLINT MSWI; unprivileged spec "A" extension).
 *  - every hart starts at the entry with a0 = mhartid;
 *  - harts 1..3 wait in WFI (mstatus.MIE = 0, mie.MSIE = 1) until hart 0 writes their msip;
 *    WFI wakes, and enabling MIE then takes the interrupt (mcause 3) on that hart;
 *  - each hart adds to shared counters with amoadd.d, amoor.d and an lr.d/sc.d loop; hart 0
 *    waits (bounded by mtime) and checks the totals;
 *  - then an IPI token goes round the ring 0 -> 1 -> 2 -> 3 -> 0 RING times, each hart waiting in
 *    WFI for it (hart 0 with its CLINT timer as a time limit).
 */
#include "bm.h"

#define NHARTS 4
#define ROUNDS 2000
#define TIMEOUT_TICKS (20 * TIMEBASE_HZ)
#define RING 300

    .text
    .globl main, secondary_main
main:
    la t0, message
    li t1, 0x600d
    sd t1, 0(t0)
    fence rw, rw
    /* wake harts 1..NHARTS-1 */
    li s0, 1
1:  slli t0, s0, 2
    li t1, CLINT_MSIP
    add t1, t1, t0
    li t0, 1
    sw t0, 0(t1)
    addi s0, s0, 1
    li t0, NHARTS
    blt s0, t0, 1b
    li a0, 0
    call work
    /* wait for everyone, at most TIMEOUT_TICKS */
    li t0, CLINT_MTIME
    ld s1, 0(t0)
    li t1, TIMEOUT_TICKS
    add s1, s1, t1
1:  ld t0, finished
    li t1, NHARTS
    beq t0, t1, 2f
    li t0, CLINT_MTIME
    ld t0, 0(t0)
    bltu t0, s1, 1b
    FAIL 1                          /* some hart never finished */
2:  fence rw, rw
    CHECK_MEM arrived, NHARTS, 2
    CHECK_MEM hart_mask, (1 << NHARTS) - 1, 3
    CHECK_MEM amo_sum, NHARTS * ROUNDS, 4
    CHECK_MEM lrsc_sum, NHARTS * ROUNDS, 5
    CHECK_MEM bad_hartid, 0, 6
    CHECK_MEM bad_message, 0, 7
    /* harts 1..3 took the IPI as an interrupt */
    la s0, ipi_cause
    li s1, 1
1:  slli t0, s1, 3
    add t0, t0, s0
    ld t0, 0(t0)
    CHECK_EQ t0, INTERRUPT | IRQ_M_SOFT, 8
    addi s1, s1, 1
    li t0, NHARTS
    blt s1, t0, 1b
    ld t0, 0(s0)                    /* hart 0 got none */
    CHECK_EQ t0, 0, 9

    /* ---- the IPI ring; mtimecmp bounds the whole of it */
    li t0, CLINT_MTIME
    ld t0, 0(t0)
    li t1, TIMEOUT_TICKS
    add t0, t0, t1
    li t1, CLINT_MTIMECMP
    sd t0, 0(t1)
    li t0, MIP_MSIP | MIP_MTIP
    csrw mie, t0
    li s2, RING
1:  li a0, 1
    call send_ipi
2:  wfi
    csrr t0, mip
    andi t1, t0, MIP_MTIP
    beqz t1, 3f
    FAIL 10                         /* the token got lost */
3:  andi t0, t0, MIP_MSIP
    beqz t0, 2b
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    addi s2, s2, -1
    bnez s2, 1b
    csrw mie, zero
    li t0, 1
    sd t0, ring_done, t1
    fence rw, rw
    li s2, 1                        /* release the others */
1:  mv a0, s2
    call send_ipi
    addi s2, s2, 1
    li t0, NHARTS
    blt s2, t0, 1b
    CHECK_MEM ring_hops, 3 * RING, 11
    j pass

/* send_ipi(hart): sets its msip. */
send_ipi:
    slli a0, a0, 2
    li t0, CLINT_MSIP
    add t0, t0, a0
    li t1, 1
    sw t1, 0(t0)
    ret

/* Harts 1..: sleep until the IPI, take it, then work. */
secondary_main:
    mv s0, a0
    la t0, ipi_handler
    csrw mtvec, t0
    li t0, MIP_MSIP
    csrw mie, t0
1:  wfi                             /* MIE = 0: wakes on MSIP without trapping */
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    beqz t0, 1b
    csrsi mstatus, MSTATUS_MIE      /* now the pending IPI traps */
    nop
    csrci mstatus, MSTATUS_MIE
    csrw mie, zero
    mv a0, s0
    call work
    /* the ring: wait for the token, pass it on, until hart 0 says done */
    li t0, MIP_MSIP
    csrw mie, t0
1:  wfi
    csrr t0, mip
    andi t0, t0, MIP_MSIP
    beqz t0, 1b
    slli t0, s0, 2
    li t1, CLINT_MSIP
    add t1, t1, t0
    sw zero, 0(t1)
    fence rw, rw
    ld t0, ring_done
    bnez t0, 2f
    la t0, ring_hops
    li t1, 1
    amoadd.d zero, t1, (t0)
    addi a0, s0, 1
    li t0, NHARTS
    bne a0, t0, 3f
    li a0, 0
3:  call send_ipi
    j 1b
2:  csrw mie, zero
4:  wfi
    j 4b

/* work(hartid): the shared-memory part, done by every hart. */
work:
    csrr t0, mhartid
    beq t0, a0, 1f
    la t1, bad_hartid
    li t2, 1
    amoadd.d zero, t2, (t1)
1:  ld t0, message
    li t1, 0x600d
    beq t0, t1, 1f
    la t1, bad_message
    li t2, 1
    amoadd.d zero, t2, (t1)
1:  la t0, arrived
    li t1, 1
    amoadd.d zero, t1, (t0)
    la t0, hart_mask
    li t1, 1
    sll t1, t1, a0
    amoor.d zero, t1, (t0)
    li t2, ROUNDS
    la t0, amo_sum
    li t1, 1
1:  amoadd.d zero, t1, (t0)
    addi t2, t2, -1
    bnez t2, 1b
    li t2, ROUNDS
    la t0, lrsc_sum
1:  lr.d t1, (t0)
    addi t1, t1, 1
    sc.d t3, t1, (t0)
    bnez t3, 1b
    addi t2, t2, -1
    bnez t2, 1b
    fence rw, rw
    la t0, finished
    li t1, 1
    amoadd.d zero, t1, (t0)
    ret

/* The secondaries' handler: records mcause per hart and clears its msip. Uses t5, t6 only. */
    .balign 4
ipi_handler:
    csrr t6, mhartid
    slli t6, t6, 3
    la t5, ipi_cause
    add t5, t5, t6
    csrr t6, mcause
    sd t6, 0(t5)
    csrr t6, mhartid
    slli t6, t6, 2
    li t5, CLINT_MSIP
    add t5, t5, t6
    sw zero, 0(t5)
    csrr t6, mcause
    bgez t6, 1f                     /* an exception here is a failure */
    mret
1:  li a0, 150
    j exit

    .data
    .balign 64
message:     .dword 0
arrived:     .dword 0
hart_mask:   .dword 0
amo_sum:     .dword 0
lrsc_sum:    .dword 0
finished:    .dword 0
bad_hartid:  .dword 0
bad_message: .dword 0
ring_done:   .dword 0
ring_hops:   .dword 0
ipi_cause:   .dword 0, 0, 0, 0, 0, 0, 0, 0
