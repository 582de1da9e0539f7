/*
 * bm.h: constants and self-check macros shared by the bare-metal test programs.
 *
 * Register convention (every program and runtime.S keep to it):
 *   t5, t6  belong to the trap handlers: an exception or interrupt may clobber them at any time;
 *   t3, t4  are scratch registers of the macros below;
 *   everything else belongs to the test.
 * A failed check ends the machine with exit status N (1..199, unique per check in a program);
 * the runtime uses 199 (an expected trap did not happen), 200+cause (unexpected M-mode exception), 220+cause (unexpected M-mode
 * interrupt) and 240+cause (unexpected S-mode trap).
 */
#ifndef BM_H
#define BM_H

/* QEMU virt memory map (ARCHITECTURE-NOTES section 3). */
#define FINISHER        0x100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define CLINT_MSIP      0x2000000   /* + 4 * hart */
#define CLINT_MTIMECMP  0x2004000   /* + 8 * hart */
#define CLINT_MTIME     0x200bff8
#define UART0           0x10000000
#define RAM_BASE        0x80000000
#define TIMEBASE_HZ     10000000

/* mstatus (priv spec, machine.adoc "Machine Status Registers"). */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MPP_S         (1 << 11)
#define MPP_M         (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define FS_INITIAL    (1 << 13)
#define FS_DIRTY      (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_SD    0x8000000000000000

/* mip / mie bits (machine.adoc "Machine Interrupt Registers"). */
#define MIP_SSIP (1 << 1)
#define MIP_MSIP (1 << 3)
#define MIP_STIP (1 << 5)
#define MIP_MTIP (1 << 7)
#define MIP_SEIP (1 << 9)
#define MIP_MEIP (1 << 11)

/* mcause values (machine.adoc, table "Machine cause register (mcause) values"). */
#define INTERRUPT           0x8000000000000000
#define IRQ_S_SOFT          1
#define IRQ_M_SOFT          3
#define IRQ_S_TIMER         5
#define IRQ_M_TIMER         7
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15

/* menvcfg.STCE (Sstc) */
#define MENVCFG_STCE 0x8000000000000000

/* Page-table entry bits (supervisor.adoc "Sv32: page-table entries", same for Sv39/48/57). */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)

/* Service calls to the runtime's trap handlers: ecall with a7 = one of these. */
#define SYS_EXIT  0x5e   /* end the machine, a0 = exit status (0 = pass) */
#define SYS_TO_M  0x4d   /* continue in M-mode at a0 (from S or U) */
#define SYS_TO_S  0x53   /* continue in S-mode at a0 (from U, with ecall from U delegated) */

#ifdef __ASSEMBLER__

/* Ends the test with status \n (from any mode). */
.macro FAIL n
    li a0, \n
    j fail
.endm

/* Follows an instruction that must trap: reaching it fails with 199. */
.macro NO_TRAP
    jal t3, no_trap
.endm

/* M-mode (or S/U with bare translation): prints "note: \text<value of \reg>" (clobbers a0, a1,
   ra, t0, t1). Used for behaviour the spec leaves to the implementation. */
.macro NOTE text, reg
    mv a1, \reg
    la a0, .Lnote\@
    call note
    .pushsection .rodata
.Lnote\@: .asciz "\text"
    .popsection
.endm

/* Fails with \n unless register \reg equals the constant \imm. */
.macro CHECK_EQ reg, imm, n
    li t4, \imm
    beq \reg, t4, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

/* Fails with \n if register \reg equals the constant \imm. */
.macro CHECK_NE reg, imm, n
    li t4, \imm
    bne \reg, t4, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

/* Fails with \n unless registers \r1 and \r2 are equal. */
.macro CHECK_REG r1, r2, n
    beq \r1, \r2, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

/* Fails with \n unless the dword at symbol \sym equals the constant \imm. */
.macro CHECK_MEM sym, imm, n
    ld t3, \sym
    li t4, \imm
    beq t3, t4, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

/* Fails with \n unless the dword at symbol \sym equals the address of \label. */
.macro CHECK_MEM_ADDR sym, label, n
    ld t3, \sym
    la t4, \label
    beq t3, t4, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

/* The next exception taken to M-mode resumes at \label (in the mode it came from). */
.macro EXPECT_M label
    la t4, \label
    sd t4, trap_recover, t3
.endm

/* The next exception taken to M-mode resumes at \label in M-mode. */
.macro EXPECT_M_IN_M label
    la t4, \label + 1
    sd t4, trap_recover, t3
.endm

/* The next exception taken to S-mode resumes at \label (in the mode it came from). */
.macro EXPECT_S label
    la t4, \label
    sd t4, strap_recover, t3
.endm

/* The next exception taken to S-mode resumes at \label in S-mode. */
.macro EXPECT_S_IN_S label
    la t4, \label + 1
    sd t4, strap_recover, t3
.endm

/* Clears the trap records of M (trap_*) and S (strap_*). */
.macro CLEAR_TRAPS
    la t4, trap_cause
    sd zero, 0(t4)
    sd zero, 8(t4)
    sd zero, 16(t4)
    sd zero, 24(t4)
    sd zero, 32(t4)
    la t4, strap_cause
    sd zero, 0(t4)
    sd zero, 8(t4)
    sd zero, 16(t4)
    sd zero, 24(t4)
    sd zero, 32(t4)
.endm

/* From M-mode: continue at \label in S-mode (or U-mode), through mret. */
.macro M_TO_S label
    li t4, MSTATUS_MPP
    csrc mstatus, t4
    li t4, MPP_S
    csrs mstatus, t4
    la t4, \label
    csrw mepc, t4
    mret
.endm

.macro M_TO_U label
    li t4, MSTATUS_MPP
    csrc mstatus, t4
    la t4, \label
    csrw mepc, t4
    mret
.endm

/* From S-mode: continue at \label in U-mode, through sret. */
.macro S_TO_U label
    li t4, MSTATUS_SPP
    csrc sstatus, t4
    la t4, \label
    csrw sepc, t4
    sret
.endm

/* From S- or U-mode: continue at \label in M-mode (a service call; clobbers a0, a7). */
.macro TO_M label
    la a0, \label
    li a7, SYS_TO_M
    ecall
.endm

/* From U-mode with ecall-from-U delegated: continue at \label in S-mode (clobbers a0, a7). */
.macro TO_S label
    la a0, \label
    li a7, SYS_TO_S
    ecall
.endm

#else /* C */

#include <stdint.h>

/* runtime.S */
void fail(long code) __attribute__((noreturn));
void pass(void) __attribute__((noreturn));
void putstr(const char *s);
void puthex(uint64_t v);
extern volatile uint64_t trap_cause, trap_epc, trap_tval, trap_status, trap_count, trap_recover;
extern volatile uint64_t strap_cause, strap_epc, strap_tval, strap_status, strap_count, strap_recover;

#define CHECK(cond, n) do { if (!(cond)) fail(n); } while (0)

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")

#endif
#endif
