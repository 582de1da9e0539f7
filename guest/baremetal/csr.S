/*
 * csr: CSR access rules and WARL fields (priv spec machine.adoc "CSR Field Specifications",
 * "Machine ISA Register (misa)", "Machine Status Registers", "Machine Counter-Enable Register
 * (mcounteren)", "Virtualization Support in mstatus"; supervisor.adoc "Counter-Enable Register";
 * csrs.adoc "CSR Address Mapping Conventions"; zicsr chapter of the unprivileged spec).
 *  - misa: MXL = 2 (RV64) with I M A F D C S U; writes leave it as is here;
 *  - mstatus: SXL = UXL = 2; MPP is WARL (the value read after writing 2 is printed: QEMU 7.2
 *    keeps the reserved 2); sstatus shows only the S fields;
 *  - writes to read-only CSRs (bits 11:10 = 3) are illegal, reads (csrrs x0) are not;
 *  - unknown CSR numbers are illegal; S-mode access to M CSRs and U access to S CSRs are illegal;
 *  - cycle/time/instret from S need mcounteren, from U also scounteren;
 *  - TVM traps satp/sfence.vma, TSR traps sret and TW traps wfi in S-mode;
 *  - satp ignores writes of unsupported modes; minstret is writable and counts on.
 * All illegal-instruction traps report the instruction bits in mtval.
 */
#include "bm.h"

/* Fails with \n unless the instruction \insn traps to M as illegal, with mtval = its bits. */
.macro ILLEGAL_M n, insn:vararg
    EXPECT_M .Lill\@
.Linsn\@:
    \insn
    NO_TRAP
.Lill\@:
    CHECK_MEM trap_cause, CAUSE_ILLEGAL, \n
    CHECK_MEM_ADDR trap_epc, .Linsn\@, \n
    la t3, .Linsn\@
    lwu t3, 0(t3)
    ld t4, trap_tval
    beq t3, t4, .Lok\@
    li a0, \n
    j fail
.Lok\@:
.endm

    .text
    .globl main
main:
    /* ---- misa */
    csrr s0, misa
    srli t0, s0, 62
    CHECK_EQ t0, 2, 1
#define EXT(c) (1 << ((c) - 'A'))
    li t1, EXT('I') | EXT('M') | EXT('A') | EXT('F') | EXT('D') | EXT('C') | EXT('S') | EXT('U')
    and t0, s0, t1
    CHECK_REG t0, t1, 2
    li t1, EXT('E') | EXT('Q') | EXT('V')
    and t0, s0, t1
    CHECK_EQ t0, 0, 3
    csrw misa, zero
    csrr t0, misa
    CHECK_REG t0, s0, 4

    /* ---- mstatus */
    csrr s0, mstatus
    srli t0, s0, 32
    andi t0, t0, 0xf
    CHECK_EQ t0, 0xa, 5             /* SXL = UXL = 2: 64 bits */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, 2 << 11                  /* MPP = 2 is reserved */
    csrs mstatus, t0
    csrr t0, mstatus
    srli t0, t0, 11
    andi t0, t0, 3
    /* WARL: 2 must read back as a legal mode (Rivet: U). QEMU 7.2 keeps the 2, so this is
       printed and pinned by BareMetalTest rather than failed here. */
    NOTE "mstatus.MPP after writing 2=", t0
    li t0, MSTATUS_MPP
    csrs mstatus, t0                /* 3 and 1 are kept */
    csrr t1, mstatus
    and t1, t1, t0
    CHECK_EQ t1, MPP_M, 7
    csrc mstatus, t0
    li t0, MPP_S
    csrs mstatus, t0
    csrr t1, mstatus
    li t0, MSTATUS_MPP
    and t1, t1, t0
    CHECK_EQ t1, MPP_S, 8
    /* sstatus: a view of mstatus without the M fields */
    li t0, MSTATUS_MIE | MSTATUS_MPIE
    csrs mstatus, t0                /* mie = 0: no interrupt can be taken */
    csrr t1, sstatus
    li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    and t1, t1, t0
    CHECK_EQ t1, 0, 9
    li t0, MSTATUS_MIE | MSTATUS_MPIE
    csrc mstatus, t0
    li t0, MSTATUS_SUM
    csrs sstatus, t0
    csrr t1, mstatus
    and t1, t1, t0
    CHECK_EQ t1, MSTATUS_SUM, 10
    csrc mstatus, t0
    csrr t1, sstatus
    and t1, t1, t0
    CHECK_EQ t1, 0, 11

    /* ---- read-only and unknown CSRs in M */
    CLEAR_TRAPS
    csrr t0, mvendorid              /* reading is fine */
    csrrs t0, mhartid, zero
    csrrsi t0, marchid, 0
    CHECK_MEM trap_count, 0, 20
    ILLEGAL_M 21, csrw mhartid, t0
    ILLEGAL_M 22, csrrw zero, mimpid, zero
    ILLEGAL_M 23, csrrsi t0, mvendorid, 1
    ILLEGAL_M 24, csrw cycle, t0
    ILLEGAL_M 25, csrr t0, 0x7ff
    ILLEGAL_M 26, csrr t0, 0x8ff
    ILLEGAL_M 27, csrw 0x1ff, t0
    ILLEGAL_M 28, csrr t0, pmpcfg1  /* odd pmpcfg registers do not exist on RV64 */

    /* ---- scratch and trap registers hold what is written */
    li s1, 0x0123456789abcdef
    csrw mscratch, s1
    csrr t0, mscratch
    CHECK_REG t0, s1, 30
    csrw sscratch, s1
    csrr t0, sscratch
    CHECK_REG t0, s1, 31
    csrw mtval, s1
    csrr t0, mtval
    CHECK_REG t0, s1, 32
    csrw stval, s1
    csrr t0, stval
    CHECK_REG t0, s1, 33

    /* ---- satp: unsupported modes are not written */
    li t0, 8 << 60                  /* Sv39, root at 0: nothing is translated in M */
    csrw satp, t0
    csrr s1, satp
    CHECK_EQ s1, 8 << 60, 34
    li t0, 1 << 60                  /* Sv32: not on RV64 */
    csrw satp, t0
    csrr t0, satp
    CHECK_REG t0, s1, 35
    li t0, 11 << 60                 /* Sv64: not implemented */
    csrw satp, t0
    csrr t0, satp
    CHECK_REG t0, s1, 36
    csrw satp, zero

    /* ---- minstret / mcycle are writable and count on */
    li s1, 1 << 62                  /* far above anything counted since reset */
    csrw minstret, s1
    nop
    csrr t0, minstret
    bgeu t0, s1, 1f
    FAIL 37
1:  li t1, 1 << 40                  /* (QEMU 7.2 counts host cycles here) */
    add t1, t1, s1
    bltu t0, t1, 1f
    FAIL 38
1:  csrr t0, instret
    bgeu t0, s1, 1f
    FAIL 39
1:
    /* ---- S-mode: no M CSRs; counters gated by mcounteren */
    csrw mcounteren, zero
    csrw scounteren, zero
    M_TO_S s_part
s_part:
    CLEAR_TRAPS
    csrr t0, sscratch               /* S CSRs are fine */
    csrr t0, sstatus
    CHECK_MEM trap_count, 0, 40
    ILLEGAL_M 41, csrr t0, mstatus
    ILLEGAL_M 42, csrw mscratch, t0
    ILLEGAL_M 43, csrr t0, mhartid
    ILLEGAL_M 44, csrr t0, misa
    ILLEGAL_M 45, csrr t0, pmpaddr0
    ILLEGAL_M 46, rdcycle t0
    ILLEGAL_M 47, rdtime t0
    ILLEGAL_M 48, rdinstret t0
    TO_M m_counters

m_counters:
    li t0, 7
    csrw mcounteren, t0
    M_TO_S s_counters
s_counters:
    CLEAR_TRAPS
    rdcycle t0
    rdtime t0
    rdinstret t0
    csrw scounteren, zero
    CHECK_MEM trap_count, 0, 50
    /* TVM, TSR, TW */
    TO_M m_traps
m_traps:
    li t0, MSTATUS_TVM | MSTATUS_TSR | MSTATUS_TW
    csrs mstatus, t0
    M_TO_S s_traps
s_traps:
    CLEAR_TRAPS
    ILLEGAL_M 51, csrr t0, satp
    ILLEGAL_M 52, csrw satp, zero
    ILLEGAL_M 53, sfence.vma
    ILLEGAL_M 54, sret
    ILLEGAL_M 55, wfi
    TO_M m_untrap
m_untrap:
    li t0, MSTATUS_TVM | MSTATUS_TSR | MSTATUS_TW
    csrc mstatus, t0
    M_TO_S s_untrapped
s_untrapped:
    CLEAR_TRAPS
    csrr t0, satp                   /* allowed again */
    sfence.vma
    CHECK_MEM trap_count, 0, 56
    /* U-mode: counters also need scounteren */
    S_TO_U u_counters
u_counters:
    CLEAR_TRAPS
    ILLEGAL_M 60, rdcycle t0
    ILLEGAL_M 61, rdtime t0
    ILLEGAL_M 62, rdinstret t0
    ILLEGAL_M 63, csrr t0, sscratch
    ILLEGAL_M 64, csrr t0, sstatus
    TO_M m_u_allowed
m_u_allowed:
    li t0, 2                        /* time only */
    csrw scounteren, t0
    M_TO_U u_time
u_time:
    CLEAR_TRAPS
    rdtime t0
    CHECK_MEM trap_count, 0, 65
    ILLEGAL_M 66, rdcycle t0
    TO_M m_u_all
m_u_all:
    li t0, 7
    csrw scounteren, t0
    csrw mcounteren, zero           /* mcounteren gates U too */
    M_TO_U u_mgate
u_mgate:
    CLEAR_TRAPS
    ILLEGAL_M 67, rdtime t0
    TO_M m_u_both
m_u_both:
    li t0, 7
    csrw mcounteren, t0
    M_TO_U u_all
u_all:
    CLEAR_TRAPS
    rdcycle t0
    rdtime t0
    rdinstret t0
    CHECK_MEM trap_count, 0, 68
    TO_M done
done:
    j pass
