/*
 * pmp: physical memory protection (priv spec machine.adoc "Physical Memory Protection").
 * Entries: 0 NAPOT 4 KiB ro_page R; 1 NAPOT 4 KiB nox_page R (no X); 3 TOR [pmpaddr2, pmpaddr3)
 * = [RAM, RAM + 1 MiB) RWX (the program); 4 NA4 at DENIED + 0x100 R. Checks:
 *  - S-mode accesses matching no entry fail: load/store/fetch access faults (5/7/1) with mtval =
 *    the address; the lowest-numbered matching entry decides (R-only page inside the RWX range);
 *  - an access only partly inside an entry fails (8-byte load over a 4-byte NA4 entry);
 *  - M-mode ignores unlocked entries, but with MPRV = 1 and MPP = S its loads are checked as S;
 *  - the page-table walk is checked as an S-mode read: a root table in a denied region makes the
 *    first fetch in S raise an instruction access fault;
 *  - a locked entry binds M-mode too, and its pmpcfg/pmpaddr ignore writes.
 */
#include "bm.h"

#define DENIED  (RAM_BASE + 0x200000)   /* RAM that no entry covers */
#define NAPOT_4K(a) (((a) >> 2) | 0x1ff)

    .text
    .globl main
main:
    /* ---- program the entries */
    la t0, ro_page
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr0, t0
    la t0, nox_page
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr1, t0
    li t0, RAM_BASE >> 2
    csrw pmpaddr2, t0
    li t0, (RAM_BASE + 0x100000) >> 2
    csrw pmpaddr3, t0
    li t0, (DENIED + 0x100) >> 2
    csrw pmpaddr4, t0
    /* cfg bytes: R=1 W=2 X=4, A: TOR=0x08 NA4=0x10 NAPOT=0x18, L=0x80 */
    li t0, 0x11 << 32 | 0x0f << 24 | 0x00 << 16 | 0x19 << 8 | 0x19
    csrw pmpcfg0, t0
    csrr t1, pmpcfg0
    CHECK_REG t0, t1, 1
    csrr t1, pmpaddr3
    CHECK_EQ t1, (RAM_BASE + 0x100000) >> 2, 2

    /* M-mode is not bound by unlocked entries */
    CLEAR_TRAPS
    li s0, DENIED
    sd zero, 0(s0)
    ld t0, 0(s0)
    la s1, ro_page
    ld t0, 0(s1)
    sd t0, 0(s1)
    CHECK_MEM trap_count, 0, 3

    M_TO_S in_s
in_s:
    /* ---- S-mode */
    CLEAR_TRAPS
    ld t0, 0(s1)                    /* readable */
    CHECK_EQ t0, 0x600d, 10
    EXPECT_M 1f
    sd zero, 0(s1)                  /* entry 0 (R) wins over entry 3 (RWX) */
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_STORE_ACCESS, 11
    ld t0, trap_tval
    CHECK_REG t0, s1, 12
    EXPECT_M 1f
    ld t0, 8(s0)                    /* no entry matches */
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 13
    CHECK_MEM trap_tval, DENIED + 8, 14
    EXPECT_M 1f
    sw zero, 16(s0)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_STORE_ACCESS, 15
    CHECK_MEM trap_tval, DENIED + 16, 16
    EXPECT_M 1f
    jalr s0
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_FETCH_ACCESS, 17
    CHECK_MEM trap_tval, DENIED, 18
    CHECK_MEM trap_epc, DENIED, 19
    /* readable but not executable */
    la s2, nox_page
    ld t0, 0(s2)
    EXPECT_M 1f
    jalr s2
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_FETCH_ACCESS, 20
    ld t0, trap_tval
    CHECK_REG t0, s2, 21
    /* NA4: exactly one word */
    li s3, DENIED + 0x100
    lw t0, 0(s3)
    CHECK_MEM trap_count, 5, 22
    EXPECT_M 1f
    lw t0, 4(s3)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 23
    EXPECT_M 1f
    ld t0, 0(s3)                    /* partly matching: fails */
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 24
    EXPECT_M 1f
    sw zero, 0(s3)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_STORE_ACCESS, 25
    TO_M m_mprv

    /* ---- MPRV: M-mode loads and stores checked as MPP = S */
m_mprv:
    CLEAR_TRAPS
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MPP_S | MSTATUS_MPRV
    EXPECT_M 1f
    csrs mstatus, t0
    ld t0, 0(s0)
    NO_TRAP
1:  li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_MEM trap_cause, CAUSE_LOAD_ACCESS, 30
    CHECK_MEM trap_tval, DENIED, 31
    ld t0, trap_status              /* the handler saw MPP = M (trap from M) */
    li t1, MSTATUS_MPP
    and t0, t0, t1
    CHECK_EQ t0, MPP_M, 32
    /* fetches are not affected by MPRV */
    li t0, MPP_S | MSTATUS_MPRV
    csrs mstatus, t0
    la t0, 1f
    jr t0
1:  li t0, MSTATUS_MPRV | MSTATUS_MPP
    csrc mstatus, t0
    CHECK_MEM trap_count, 1, 33

    /* ---- the page-table walk is an S-mode read: root table in DENIED */
    li t0, DENIED + 0x1000          /* root: gigapage 2 maps RAM 1:1, RWX, A, D */
    li t1, (RAM_BASE >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    sd t1, 16(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    EXPECT_M_IN_M 1f
    M_TO_S s_paged
s_paged:
    nop
    TO_M fail_walk
1:  csrw satp, zero
    CHECK_MEM trap_cause, CAUSE_FETCH_ACCESS, 40
    CHECK_MEM_ADDR trap_epc, s_paged, 41
    CHECK_MEM_ADDR trap_tval, s_paged, 42
    /* with the table moved into the allowed range, the same works */
    la t0, root
    li t1, (RAM_BASE >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    sd t1, 16(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    M_TO_S s_paged2
s_paged2:
    ld t0, 0(s1)
    TO_M m_lock
m_lock:
    csrw satp, zero
    CHECK_MEM trap_count, 2, 43

    /* ---- a locked entry binds M-mode (last: it stays until reset) */
    li t0, 0x80
    csrs pmpcfg0, t0                /* entry 0: R, L */
    csrr t0, pmpcfg0
    andi t0, t0, 0xff
    CHECK_EQ t0, 0x99, 50
    EXPECT_M 1f
    sd zero, 0(s1)
    NO_TRAP
1:  CHECK_MEM trap_cause, CAUSE_STORE_ACCESS, 51
    ld t0, 0(s1)
    CHECK_EQ t0, 0x600d, 52
    csrr s4, pmpaddr0
    csrw pmpaddr0, zero             /* ignored */
    csrr t0, pmpaddr0
    CHECK_REG t0, s4, 53
    li t0, 0xff
    csrc pmpcfg0, t0                /* ignored */
    csrr t0, pmpcfg0
    andi t0, t0, 0xff
    CHECK_EQ t0, 0x99, 54
    j pass

fail_walk:
    FAIL 45

    /* A page of its own: readable, not executable for S. */
    .section .pagetext, "ax"
nox_page:
    ret

    .data
    .balign 4096
ro_page:
    .dword 0x600d
    .balign 4096
root:
    .space 4096
