/*
 * traps: exception entry and return with nothing delegated (priv spec machine.adoc "Machine Trap
 * Vector", "Machine Cause Register", "Machine Exception Program Counter", "Machine Trap Value
 * Register", and "Trap-Return Instructions").
 *  - ecall from M, S and U: mcause 11/9/8, mepc = the ecall, mtval = 0, mstatus.MPP = the mode it
 *    came from, MIE -> MPIE and MIE cleared on entry; mret restores MIE, sets MPIE and MPP = U.
 *  - illegal instructions (undecodable 32-bit, reserved compressed, CSR write to a read-only CSR,
 *    MRET/SRET/WFI/M-CSR from U, MRET from S): mcause 2, mtval = the instruction bits.
 *  - ebreak / c.ebreak: mcause 3, mepc = the instruction (mtval is 0 or the pc: implementation
 *    choice, printed as a note).
 *  - load/store/fetch from an address with nothing behind it: access faults 5/7/1, mtval = address.
 *  - sret returns to SPP and clears SPP; mret to a lower mode clears MPRV.
 */
#include "bm.h"

#define HOLE 0x12000      /* between the boot ROM and the test finisher: nothing there */

    .text
    .globl main
main:
    /* ---- ecall from M */
    CLEAR_TRAPS
    li t0, MSTATUS_MIE              /* mie = 0, so no interrupt can be taken */
    csrs mstatus, t0
    li a7, 0
    EXPECT_M 1f
ecall_m:
    ecall
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ECALL_M, 1
    CHECK_MEM_ADDR trap_epc, ecall_m, 2
    CHECK_MEM trap_tval, 0, 3
    CHECK_MEM trap_count, 1, 4
    /* in the handler: MPP = M, MPIE = the old MIE (1), MIE = 0 */
    ld t0, trap_status
    li t1, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
    and t0, t0, t1
    CHECK_EQ t0, MPP_M | MSTATUS_MPIE, 5
    /* after mret: MIE = MPIE = 1, MPP = U (the least-privileged mode) */
    csrr t0, mstatus
    and t0, t0, t1
    CHECK_EQ t0, MSTATUS_MIE | MSTATUS_MPIE, 6
    li t0, MSTATUS_MIE
    csrc mstatus, t0

    /* ---- illegal instructions in M */
    CLEAR_TRAPS
    EXPECT_M 1f
ill_word:
    .word 0xffffffff
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 10
    CHECK_MEM_ADDR trap_epc, ill_word, 11
    CHECK_MEM trap_tval, 0xffffffff, 12
    EXPECT_M 1f
ill_c_lui:
    .half 0x6081                    /* c.lui ra, 0: reserved (nzimm = 0) */
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 13
    CHECK_MEM_ADDR trap_epc, ill_c_lui, 14
    CHECK_MEM trap_tval, 0x6081, 15
    EXPECT_M 1f
ill_csrw:
    csrw mvendorid, a0              /* read-only CSR (bits 11:10 = 3) */
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 16
    CHECK_MEM_ADDR trap_epc, ill_csrw, 17
    CHECK_MEM trap_tval, 0xf1151073, 18
    CHECK_MEM trap_count, 3, 19

    /* ---- breakpoints */
    CLEAR_TRAPS
    EXPECT_M 1f
brk:
    ebreak
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_BREAKPOINT, 20
    CHECK_MEM_ADDR trap_epc, brk, 21
    /* mtval is zero or the ebreak's address (machine.adoc, "Machine Trap Value Register") */
    ld s0, trap_tval
    NOTE "ebreak mtval=", s0
    beqz s0, 1f
    CHECK_MEM_ADDR trap_tval, brk, 22
1:
    EXPECT_M 1f
cbrk:
    c.ebreak
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_BREAKPOINT, 23
    CHECK_MEM_ADDR trap_epc, cbrk, 24

    /* ---- access faults: nothing at HOLE */
    CLEAR_TRAPS
    li s1, HOLE
    EXPECT_M 1f
    ld a0, 0(s1)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 30
    CHECK_MEM trap_tval, HOLE, 31
    EXPECT_M 1f
    sw a0, 8(s1)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_STORE_ACCESS, 32
    CHECK_MEM trap_tval, HOLE + 8, 33
    EXPECT_M 1f
    jalr s1
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_FETCH_ACCESS, 34
    CHECK_MEM trap_epc, HOLE, 35
    CHECK_MEM trap_tval, HOLE, 36

    /* ---- ecall from S: mcause 9, MPP = S; the handler returns to S */
    CLEAR_TRAPS
    li t0, MSTATUS_MPRV             /* mret to a mode below M clears MPRV */
    csrs mstatus, t0
    M_TO_S in_s
in_s:
    li a7, 0
    EXPECT_M 1f
ecall_s:
    ecall
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ECALL_S, 40
    CHECK_MEM_ADDR trap_epc, ecall_s, 41
    CHECK_MEM trap_tval, 0, 42
    ld t0, trap_status
    li t1, MSTATUS_MPP
    and t1, t0, t1
    CHECK_EQ t1, MPP_S, 43
    /* "An MRET or SRET instruction that changes the privilege mode to a mode less privileged than
       M also sets MPRV=0" (machine.adoc, "Memory Privilege in mstatus"); QEMU 7.2 does not. */
    li t1, MSTATUS_MPRV
    and s2, t0, t1
    /* still in S: an M-mode CSR is out of reach */
    EXPECT_M 1f
ill_s_csr:
    csrr a0, mscratch
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 44
    CHECK_MEM trap_tval, 0x34002573, 45
    CHECK_MEM_ADDR trap_epc, ill_s_csr, 46
    /* mret from S is illegal */
    EXPECT_M 1f
    mret
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 47
    CHECK_MEM trap_tval, 0x30200073, 48
    /* sret with SPP = U goes to U and clears SPP; SIE <- SPIE, SPIE <- 1 */
    li t0, MSTATUS_SPP | MSTATUS_SIE
    csrc sstatus, t0
    li t0, MSTATUS_SPIE
    csrs sstatus, t0
    la t0, in_u
    csrw sepc, t0
    sret

in_u:
    /* ---- ecall from U: mcause 8, MPP = U */
    li a7, 0
    EXPECT_M 1f
ecall_u:
    ecall
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ECALL_U, 50
    CHECK_MEM_ADDR trap_epc, ecall_u, 51
    ld t0, trap_status
    li t1, MSTATUS_MPP | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
    and t0, t0, t1
    CHECK_EQ t0, MSTATUS_SPIE | MSTATUS_SIE, 52
    /* privileged instructions and CSRs from U */
    EXPECT_M 1f
    sret
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 53
    CHECK_MEM trap_tval, 0x10200073, 54
    EXPECT_M 1f
    mret
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 55
    EXPECT_M 1f
    wfi
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 56
    CHECK_MEM trap_tval, 0x10500073, 57
    EXPECT_M 1f
    csrr a0, sstatus
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_ILLEGAL, 58
    CHECK_MEM trap_tval, 0x10002573, 59
    TO_M back_in_m

back_in_m:
    NOTE "MPRV after mret to S=", s2
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    j pass

