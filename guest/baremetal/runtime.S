/*
 * runtime.S: start-up, trap recording, console and exit for the bare-metal test programs.
 *
 * Every hart enters _start in M-mode (a0 = hartid). Hart 0 calls main(hartid), the others
 * secondary_main(hartid) (default: park in WFI). main returning a0 ends the machine with status
 * a0. The machine ends through the QEMU virt test finisher (0x5555 = pass, (code << 16) | 0x3333 =
 * fail), which both QEMU and Rivet implement.
 *
 * m_trap_record / s_trap_record are the default M and S trap handlers. They clobber only t5, t6.
 * Exceptions: recorded in trap_* / strap_* and resumed at trap_recover / strap_recover (set by
 * EXPECT_M / EXPECT_S, one-shot; EXPECT_M_IN_M / EXPECT_S_IN_S resume in M / S); with no recovery point set the test fails with 200+cause (M) or
 * 240+cause (S). Interrupts: recorded, their source cleared (msip, mtimecmp, sip.SSIP, stimecmp),
 * and the interrupted code resumed. Service calls (ecall with a7 = SYS_*) are served first.
 */
#include "bm.h"

    .section .text.init
    .globl _start
_start:
    csrr a0, mhartid
    la sp, stacks_end
    slli t0, a0, 13
    sub sp, sp, t0
    la t0, m_trap_record
    csrw mtvec, t0
    csrw mie, zero
    csrw medeleg, zero
    csrw mideleg, zero
    csrw satp, zero
    /* QEMU resets mtimecmp to 0 (MTIP pending), Rivet to all ones: start from "never". */
    slli t0, a0, 3
    li t1, CLINT_MTIMECMP
    add t1, t1, t0
    li t0, -1
    sd t0, 0(t1)
    /* One PMP entry granting everything, as firmware does: with PMP implemented and no entry
       matching, S- and U-mode accesses fail (machine.adoc "Priority and Matching Logic"). */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f            /* A = NAPOT, R W X */
    csrw pmpcfg0, t0
    bnez a0, 1f
    call main
    j exit
1:  call secondary_main
    j exit

    .text
    .weak secondary_main
secondary_main:
    wfi
    j secondary_main

/* fail(code): ends the test from any mode, through a service call. */
    .globl fail, pass
pass:
    li a0, 0
fail:
    li a7, SYS_EXIT
    ecall
    j fail

/* no_trap (jal t3, no_trap): an instruction expected to trap did not; fails with 199. */
    .globl no_trap
no_trap:
    sd t3, no_trap_at, t4
    li a0, 199
    j fail

/* exit(code), M-mode: prints PASS or FAIL <code> and powers off through the finisher. */
    .globl exit
exit:
    mv s0, a0
    bnez s0, 1f
    la a0, msg_pass
    call putstr
    li t0, FINISHER_PASS
    j 2f
1:  la a0, msg_fail
    call putstr
    mv a0, s0
    call putdec
    ld a0, no_trap_at
    beqz a0, 4f
    addi a0, a0, -4
    mv s1, a0
    la a0, msg_no_trap
    call putstr
    mv a0, s1
    call puthex
4:  li a0, '\n'
    call putchar
    slli t0, s0, 16
    li t1, FINISHER_FAIL
    or t0, t0, t1
2:  li t1, FINISHER
    sw t0, 0(t1)
3:  wfi
    j 3b

/* ------------------------------------------------------------------ M-mode trap handler */
    .balign 4
    .globl m_trap_record
m_trap_record:
    csrr t6, mcause
    bltz t6, m_interrupt
    /* environment call (8, 9, 11) carrying a service request? */
    addi t6, t6, -CAUSE_ECALL_U
    beqz t6, 1f
    addi t6, t6, CAUSE_ECALL_U - CAUSE_ECALL_S
    beqz t6, 1f
    addi t6, t6, CAUSE_ECALL_S - CAUSE_ECALL_M
    bnez t6, m_record
1:  li t6, SYS_EXIT
    beq a7, t6, m_sys_exit
    li t6, SYS_TO_M
    bne a7, t6, m_record
    csrw mepc, a0
    li t6, MPP_M
    csrs mstatus, t6
    mret
m_sys_exit:
    li t6, MSTATUS_MPRV
    csrc mstatus, t6
    csrw satp, zero
    j exit

m_record:
    csrr t6, mcause
    sd t6, trap_cause, t5
    csrr t6, mepc
    sd t6, trap_epc, t5
    csrr t6, mtval
    sd t6, trap_tval, t5
    csrr t6, mstatus
    sd t6, trap_status, t5
    ld t6, trap_count
    addi t6, t6, 1
    sd t6, trap_count, t5
    ld t6, trap_recover
    beqz t6, m_unexpected
    andi t5, t6, 1                  /* bit 0: resume in M-mode (EXPECT_M_IN_M) */
    beqz t5, 1f
    xori t6, t6, 1
    li t5, MPP_M
    csrs mstatus, t5
1:  csrw mepc, t6
    sd zero, trap_recover, t5
    mret

m_interrupt:
    sd t6, trap_cause, t5
    csrr t6, mepc
    sd t6, trap_epc, t5
    csrr t6, mstatus
    sd t6, trap_status, t5
    ld t6, trap_count
    addi t6, t6, 1
    sd t6, trap_count, t5
    csrr t6, mcause
    slli t6, t6, 1              /* drop the interrupt bit */
    addi t6, t6, -2 * IRQ_M_SOFT
    beqz t6, m_clear_msip
    addi t6, t6, 2 * (IRQ_M_SOFT - IRQ_M_TIMER)
    beqz t6, m_clear_mtimecmp
    addi t6, t6, 2 * (IRQ_M_TIMER - IRQ_S_SOFT)
    beqz t6, m_clear_ssip
    addi t6, t6, 2 * (IRQ_S_SOFT - IRQ_S_TIMER)
    beqz t6, m_clear_stip
    j m_unexpected
m_clear_msip:
    csrr t6, mhartid
    slli t6, t6, 2
    li t5, CLINT_MSIP
    add t5, t5, t6
    sw zero, 0(t5)
    mret
m_clear_mtimecmp:
    csrr t6, mhartid
    slli t6, t6, 3
    li t5, CLINT_MTIMECMP
    add t5, t5, t6
    li t6, -1
    sd t6, 0(t5)
    mret
m_clear_ssip:
    csrci mip, MIP_SSIP
    mret
m_clear_stip:
    li t6, -1
    csrw stimecmp, t6
    li t6, MIP_STIP
    csrc mip, t6
    mret

m_unexpected:
    la a0, msg_unexpected
    call putstr
    csrr a0, mcause
    call puthex
    la a0, msg_epc
    call putstr
    csrr a0, mepc
    call puthex
    la a0, msg_tval
    call putstr
    csrr a0, mtval
    call puthex
    li a0, '\n'
    call putchar
    csrr t0, mcause
    andi a0, t0, 0x1f
    addi a0, a0, 200
    bgez t0, 1f
    addi a0, a0, 20
1:  j exit

/* ------------------------------------------------------------------ S-mode trap handler */
    .balign 4
    .globl s_trap_record
s_trap_record:
    csrr t6, scause
    bltz t6, s_interrupt
    addi t6, t6, -CAUSE_ECALL_U
    bnez t6, s_record
    /* ecall from U: exit and switch-to-M requests go on to M-mode */
    li t6, SYS_EXIT
    beq a7, t6, s_forward
    li t6, SYS_TO_M
    beq a7, t6, s_forward
    li t6, SYS_TO_S
    bne a7, t6, s_record
    csrw sepc, a0
    li t6, MSTATUS_SPP
    csrs sstatus, t6
    sret
s_forward:
    ecall

s_record:
    csrr t6, scause
    sd t6, strap_cause, t5
    csrr t6, sepc
    sd t6, strap_epc, t5
    csrr t6, stval
    sd t6, strap_tval, t5
    csrr t6, sstatus
    sd t6, strap_status, t5
    ld t6, strap_count
    addi t6, t6, 1
    sd t6, strap_count, t5
    ld t6, strap_recover
    beqz t6, s_unexpected
    andi t5, t6, 1                  /* bit 0: resume in S-mode (EXPECT_S_IN_S) */
    beqz t5, 1f
    xori t6, t6, 1
    li t5, MSTATUS_SPP
    csrs sstatus, t5
1:  csrw sepc, t6
    sd zero, strap_recover, t5
    sret

s_interrupt:
    sd t6, strap_cause, t5
    csrr t6, sepc
    sd t6, strap_epc, t5
    csrr t6, sstatus
    sd t6, strap_status, t5
    ld t6, strap_count
    addi t6, t6, 1
    sd t6, strap_count, t5
    csrr t6, scause
    slli t6, t6, 1
    addi t6, t6, -2 * IRQ_S_SOFT
    beqz t6, s_clear_ssip
    addi t6, t6, 2 * (IRQ_S_SOFT - IRQ_S_TIMER)
    beqz t6, s_clear_stimecmp
    j s_unexpected
s_clear_ssip:
    csrci sip, MIP_SSIP
    sret
s_clear_stimecmp:
    li t6, -1
    csrw stimecmp, t6
    sret

s_unexpected:
    csrr t6, scause
    andi a0, t6, 0x1f
    addi a0, a0, 240
    li a7, SYS_EXIT
    ecall

/* ------------------------------------------------------------------ console (M-mode) */
    .globl putchar, putstr, puthex, putdec
/* putchar(a0): waits for THR empty (LSR bit 5), then writes. Clobbers t0, t1. */
putchar:
    li t0, UART0
1:  lbu t1, 5(t0)
    andi t1, t1, 0x20
    beqz t1, 1b
    sb a0, 0(t0)
    ret

putstr:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd s1, 8(sp)
    mv s1, a0
1:  lbu a0, 0(s1)
    beqz a0, 2f
    call putchar
    addi s1, s1, 1
    j 1b
2:  ld ra, 0(sp)
    ld s1, 8(sp)
    addi sp, sp, 16
    ret

/* note(a0 = label, a1 = value): prints "note: <label><value in hex>". Observations that legally
   differ between implementations are printed so the Rivet tests can pin Rivet's choice. */
    .globl note
note:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd a1, 8(sp)
    mv a1, a0
    la a0, msg_note
    call putstr
    mv a0, a1
    call putstr
    ld a0, 8(sp)
    call puthex
    li a0, '\n'
    call putchar
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

/* puthex(a0): 0x and 16 hex digits. */
puthex:
    addi sp, sp, -32
    sd ra, 0(sp)
    sd s1, 8(sp)
    sd s2, 16(sp)
    mv s1, a0
    li a0, '0'
    call putchar
    li a0, 'x'
    call putchar
    li s2, 60
1:  srl a0, s1, s2
    andi a0, a0, 15
    addi a0, a0, '0'
    li t0, '9'
    ble a0, t0, 2f
    addi a0, a0, 'a' - '0' - 10
2:  call putchar
    addi s2, s2, -4
    bgez s2, 1b
    ld ra, 0(sp)
    ld s1, 8(sp)
    ld s2, 16(sp)
    addi sp, sp, 32
    ret

/* putdec(a0): unsigned decimal. */
putdec:
    addi sp, sp, -48
    sd ra, 0(sp)
    addi t2, sp, 40             /* digits are built backwards in sp+8..sp+40 */
    sb zero, 0(t2)
    li t1, 10
1:  remu t0, a0, t1
    divu a0, a0, t1
    addi t0, t0, '0'
    addi t2, t2, -1
    sb t0, 0(t2)
    bnez a0, 1b
    mv a0, t2
    call putstr
    ld ra, 0(sp)
    addi sp, sp, 48
    ret

    .section .rodata
msg_pass:       .asciz "PASS\n"
msg_note:       .asciz "note: "
msg_fail:       .asciz "FAIL "
msg_unexpected: .asciz "unexpected trap: cause="
msg_epc:        .asciz " epc="
msg_tval:       .asciz " tval="
msg_no_trap:    .asciz ": expected a trap before "

    .data
    .balign 8
/* Trap records: the order matches CLEAR_TRAPS in bm.h. */
    .globl trap_cause, trap_epc, trap_tval, trap_status, trap_count, trap_recover
trap_cause:   .dword 0
trap_epc:     .dword 0
trap_tval:    .dword 0
trap_status:  .dword 0
trap_count:   .dword 0
trap_recover: .dword 0
    .globl strap_cause, strap_epc, strap_tval, strap_status, strap_count, strap_recover
strap_cause:   .dword 0
strap_epc:     .dword 0
strap_tval:    .dword 0
strap_status:  .dword 0
strap_count:   .dword 0
strap_recover: .dword 0
no_trap_at:    .dword 0

    .bss
    .balign 4096
stacks:
    .space 8 * 8192             /* 8 KiB per hart, up to 8 harts */
stacks_end:
