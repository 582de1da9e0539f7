/*
 * paging: Sv39 / Sv48 / Sv57 translation (priv spec supervisor.adoc "Sv32: Page-Based 32-bit
 * Virtual-Memory Systems" -- "Virtual Address Translation Process" -- and the Sv39, Sv48, Sv57
 * sections; "Memory Privilege in sstatus Register" for SUM and MXR).
 * BUILD-VARIANTS: sv39:-DLEVELS=3 sv48:-DLEVELS=4 sv57:-DLEVELS=5
 *
 * M-mode builds page tables in memory (identity gigapages for MMIO and RAM, 4 KiB pages and
 * megapages in a test region behind root entry 1, so every level of the mode is walked), then
 * runs the checks in S-mode with page faults and ecall-from-U delegated:
 *  - loads, stores and fetches through 4 KiB pages, a megapage and the identity gigapages;
 *  - page faults (12/13/15) with stval = the faulting address: invalid PTE, W without R, store to
 *    read-only, load from execute-only (allowed with MXR), S access to a U page (allowed for
 *    loads/stores with SUM, never for fetches), U access to an S page, U fetch from an S page,
 *    misaligned megapage and gigapage, non-canonical address;
 *  - a misaligned load/store crossing into an invalid page faults with stval = the start of the
 *    faulting part (the page boundary); a 32-bit instruction crossing into one faults with stval =
 *    the page boundary and sepc = the instruction;
 *  - the walker sets A on any access and D on a store (Svadu-style hardware update; no faults for
 *    A/D), and leaves non-leaf PTEs alone;
 *  - a PTE change becomes visible after sfence.vma, for fetches too (a code page remapped to
 *    other code, a code page that lost X); sfence.vma of one address is enough for its page, and
 *    for every page of a megapage when the address lies anywhere in it;
 *  - an S-mode access to a U page still faults (SUM clear) right after U-mode read it, and a
 *    U-mode access to an S page right after S-mode did (translations are not shared across modes).
 */
#include "bm.h"

#if LEVELS < 3 || LEVELS > 5
#error "LEVELS must be 3 (Sv39), 4 (Sv48) or 5 (Sv57)"
#endif

#define PAGE 4096UL
#define VA_BITS (12 + 9 * LEVELS)
/* The test region: root entry 1. */
#define T (1UL << (12 + 9 * (LEVELS - 1)))
#define MEGA (1UL << 21)
#define GIGA (1UL << 30)
#define BIG_PA (RAM_BASE + 4 * MEGA)   /* 2 MiB-aligned RAM the program does not use */
#define BIG_PA2 (RAM_BASE + 6 * MEGA)  /* another such megapage */

/* 4 KiB pages at T + n * PAGE */
enum { P_RW, P_RO, P_XO, P_USER, P_INV, P_WONLY, P_UCODE, P_RW2, P_INV2, P_X2, P_INV3 };

static uint64_t tables[24][512] __attribute__((aligned(4096)));
static int used_tables;
static uint64_t *root;
static uint64_t data0[512] __attribute__((aligned(4096))) = {0x1111};
static uint64_t data1[512] __attribute__((aligned(4096))) = {0x7777};
static uint64_t data2[512] __attribute__((aligned(4096)));

/* paging_asm below */
extern char code_page[], ret42[], u_load[], u_jump[], cross_insn[];
uint64_t s_try_load(uint64_t va);
uint64_t s_try_store(uint64_t va, uint64_t value);
uint64_t s_try_exec(uint64_t va);
uint64_t s_try_user(uint64_t va, uint64_t arg);
void enter_s(void (*fn)(void)) __attribute__((noreturn));
extern volatile uint64_t s_value;

static uint64_t *new_table(void) {
    if (used_tables == 24) fail(190);
    return tables[used_tables++];
}

static uint64_t pte(uint64_t pa, uint64_t flags) {
    return (pa >> 12) << 10 | flags;
}

/* The PTE slot for va at level (0 = 4 KiB), creating the tables above it. */
static volatile uint64_t *slot(uint64_t va, int level) {
    uint64_t *t = root;
    for (int l = LEVELS - 1; l > level; l--) {
        uint64_t *e = &t[(va >> (12 + 9 * l)) & 511];
        if (!(*e & PTE_V)) *e = pte((uint64_t)new_table(), PTE_V);
        t = (uint64_t *)((*e >> 10) << 12);
    }
    return &t[(va >> (12 + 9 * level)) & 511];
}

static void map(uint64_t va, uint64_t pa, int level, uint64_t flags) {
    *slot(va, level) = pte(pa, flags | PTE_V);
}

static void sfence(void) {
    __asm__ volatile("sfence.vma" ::: "memory");
}

/* sfence.vma for the one address va. */
static void sfence_va(uint64_t va) {
    __asm__ volatile("sfence.vma %0" ::"r"(va) : "memory");
}

#define RWX (PTE_R | PTE_W | PTE_X)
#define AD (PTE_A | PTE_D)

/* Fails with n unless the access faulted with cause and stval. */
static void expect_fault(uint64_t got, uint64_t cause, uint64_t tval, int n) {
    CHECK(got == cause, n);
    CHECK(strap_tval == tval, n);
}

static void s_main(void);

int main(void) {
    root = new_table();
    map(0, 0, 2, RWX | AD);                      /* MMIO: UART, CLINT, finisher */
    map(RAM_BASE, RAM_BASE, 2, RWX | AD);        /* RAM, where this program runs */
    uint64_t code = (uint64_t)code_page;
    map(T + P_RW * PAGE, (uint64_t)data0, 0, PTE_R | PTE_W);  /* A and D clear */
    map(T + P_RO * PAGE, (uint64_t)data0, 0, PTE_R | PTE_A);
    map(T + P_XO * PAGE, code, 0, PTE_X);                     /* A clear */
    map(T + P_USER * PAGE, (uint64_t)data1, 0, PTE_R | PTE_W | PTE_U | AD);
    *slot(T + P_INV * PAGE, 0) = pte((uint64_t)data1, PTE_R | PTE_W | AD); /* V clear */
    map(T + P_WONLY * PAGE, (uint64_t)data1, 0, PTE_W | AD);  /* W without R: reserved */
    map(T + P_UCODE * PAGE, code, 0, PTE_R | PTE_X | PTE_U | PTE_A);
    map(T + P_RW2 * PAGE, (uint64_t)data2, 0, PTE_R | PTE_W | AD);
    map(T + P_X2 * PAGE, code, 0, PTE_X | PTE_A);
    /* P_INV2, P_INV3: left empty */
    map(T + 1 * MEGA, BIG_PA, 1, PTE_R | PTE_W | AD);         /* aligned megapage */
    map(T + 2 * MEGA, BIG_PA + PAGE, 1, PTE_R | PTE_W | AD);  /* misaligned megapage */
    map(3 * GIGA, RAM_BASE + 2 * MEGA, 2, PTE_R | PTE_W | AD); /* misaligned gigapage */

    csr_write(medeleg, 1 << CAUSE_ECALL_U | 1 << CAUSE_FETCH_PAGE_FAULT | 1 << CAUSE_LOAD_PAGE_FAULT |
                           1 << CAUSE_STORE_PAGE_FAULT);
    extern char s_trap_record[];
    csr_write(stvec, (uint64_t)s_trap_record);
    uint64_t satp = (uint64_t)(LEVELS + 5) << 60 | (uint64_t)root >> 12;
    csr_write(satp, satp);
    CHECK(csr_read(satp) == satp, 1);
    sfence();
    enter_s(s_main);
}

static void s_main(void) {
    volatile uint64_t *rw = slot(T + P_RW * PAGE, 0);
    volatile uint64_t *xo = slot(T + P_XO * PAGE, 0);
    uint64_t root1 = root[1];
    uint64_t va, r;

    /* ---- 4 KiB pages, A and D */
    CHECK((*rw & (PTE_A | PTE_D)) == 0, 10);
    CHECK(s_try_load(T + 8) == 0 && s_value == 0, 11);
    CHECK(s_try_load(T) == 0 && s_value == 0x1111, 12);
    CHECK((*rw & (PTE_A | PTE_D)) == PTE_A, 13);       /* read: A only */
    CHECK(s_try_store(T + 16, 0x2222) == 0, 14);
    CHECK((*rw & (PTE_A | PTE_D)) == (PTE_A | PTE_D), 15);
    CHECK(data0[2] == 0x2222, 16);                      /* through the identity map */
    CHECK(root[1] == root1 && (root1 & (PTE_A | PTE_D | PTE_U)) == 0, 17);

    /* ---- read-only page (an alias of data0) */
    va = T + P_RO * PAGE + 16;
    CHECK(s_try_load(va) == 0 && s_value == 0x2222, 20);
    expect_fault(s_try_store(va, 1), CAUSE_STORE_PAGE_FAULT, va, 21);
    CHECK(strap_epc != 0, 22);

    /* ---- execute-only page: not readable unless MXR; executable; A set by the fetch */
    va = T + P_XO * PAGE;
    CHECK((*xo & PTE_A) == 0, 30);
    expect_fault(s_try_load(va + 8), CAUSE_LOAD_PAGE_FAULT, va + 8, 31);
    csr_set(sstatus, MSTATUS_MXR);
    CHECK(s_try_load(va) == 0 && s_value == *(uint64_t *)code_page, 32);
    csr_clear(sstatus, MSTATUS_MXR);
    r = s_try_exec(va + (ret42 - code_page));
    CHECK(r == 0 && s_value == 42, 33);
    CHECK((*xo & (PTE_A | PTE_D)) == PTE_A, 34);
    expect_fault(s_try_store(va, 1), CAUSE_STORE_PAGE_FAULT, va, 35);

    /* ---- user page from S: SUM for loads and stores, never for fetches */
    va = T + P_USER * PAGE;
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 40);
    expect_fault(s_try_store(va + 8, 5), CAUSE_STORE_PAGE_FAULT, va + 8, 41);
    csr_set(sstatus, MSTATUS_SUM);
    CHECK(s_try_load(va) == 0 && s_value == 0x7777, 42);
    CHECK(s_try_store(va + 8, 5) == 0 && data1[1] == 5, 43);
    va = T + P_UCODE * PAGE + (ret42 - code_page);
    expect_fault(s_try_exec(va), CAUSE_FETCH_PAGE_FAULT, va, 44);
    CHECK(strap_epc == va, 45);
    csr_clear(sstatus, MSTATUS_SUM);
    va = T + P_USER * PAGE;                        /* just read with SUM set: denied again */
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 46);
    csr_set(sstatus, MSTATUS_MXR);                 /* MXR set and cleared: X-only unreadable again */
    CHECK(s_try_load(T + P_XO * PAGE) == 0, 47);
    csr_clear(sstatus, MSTATUS_MXR);
    expect_fault(s_try_load(T + P_XO * PAGE), CAUSE_LOAD_PAGE_FAULT, T + P_XO * PAGE, 48);

    /* ---- invalid and reserved PTEs */
    va = T + P_INV * PAGE + 0x10;
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 50);
    expect_fault(s_try_store(va, 1), CAUSE_STORE_PAGE_FAULT, va, 51);
    expect_fault(s_try_exec(va), CAUSE_FETCH_PAGE_FAULT, va, 52);
    va = T + P_WONLY * PAGE;
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 53);
    expect_fault(s_try_store(va, 1), CAUSE_STORE_PAGE_FAULT, va, 54);

    /* ---- U-mode */
    uint64_t ucode = T + P_UCODE * PAGE;
    r = s_try_user(ucode + (u_load - code_page), T + P_USER * PAGE);
    CHECK(r == CAUSE_ECALL_U && s_value == 0x7777, 60);           /* reached its ecall */
    expect_fault(s_try_user(ucode + (u_load - code_page), T + 24), CAUSE_LOAD_PAGE_FAULT, T + 24, 61);
    va = (uint64_t)ret42;                                         /* identity map: not U */
    expect_fault(s_try_user(ucode + (u_jump - code_page), va), CAUSE_FETCH_PAGE_FAULT, va, 62);
    CHECK(strap_epc == va, 63);
    csr_set(sstatus, MSTATUS_SUM);                                /* SUM does not matter to U */
    expect_fault(s_try_user(ucode + (u_load - code_page), T + 24), CAUSE_LOAD_PAGE_FAULT, T + 24, 64);
    csr_clear(sstatus, MSTATUS_SUM);
    /* U has just read its page (check 60 again): S without SUM still may not. */
    r = s_try_user(ucode + (u_load - code_page), T + P_USER * PAGE);
    CHECK(r == CAUSE_ECALL_U && s_value == 0x7777, 65);
    expect_fault(s_try_load(T + P_USER * PAGE), CAUSE_LOAD_PAGE_FAULT, T + P_USER * PAGE, 66);
    /* S has just read its page: U still may not. */
    CHECK(s_try_load(T + 24) == 0, 67);
    expect_fault(s_try_user(ucode + (u_load - code_page), T + 24), CAUSE_LOAD_PAGE_FAULT, T + 24, 68);

    /* ---- misaligned accesses and instructions across a page boundary into an invalid page */
    va = T + P_RW2 * PAGE;
    data2[0] = 0x0123456789abcdef;
    data2[1] = 0x1122334455667788;
    CHECK(s_try_load(va + 3) == 0 && s_value == 0x6677880123456789, 70);
    CHECK(s_try_load(va + 4) == 0 && s_value == 0x5566778801234567, 71);
    expect_fault(s_try_load(va + PAGE - 4), CAUSE_LOAD_PAGE_FAULT, va + PAGE, 72);
    expect_fault(s_try_store(va + PAGE - 6, 1), CAUSE_STORE_PAGE_FAULT, va + PAGE, 73);
    va = T + P_X2 * PAGE + (cross_insn - code_page);
    expect_fault(s_try_exec(va), CAUSE_FETCH_PAGE_FAULT, T + P_INV3 * PAGE, 74);
    CHECK(strap_epc == va, 75);

    /* ---- superpages */
    va = T + 1 * MEGA + 0x1238;
    CHECK(s_try_store(va, 0x5555) == 0, 80);
    CHECK(*(volatile uint64_t *)(BIG_PA + 0x1238) == 0x5555, 81);
    va = T + 2 * MEGA + 0x10;
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 82);
    va = 3 * GIGA + 0x20;
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 83);

    /* ---- addresses that are not sign-extended from bit VA_BITS-1 */
    va = 1UL << (VA_BITS - 1);
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 90);
    va = (1UL << 63) | T;
    expect_fault(s_try_store(va, 1), CAUSE_STORE_PAGE_FAULT, va, 91);
    va = -PAGE;                                    /* canonical but unmapped */
    expect_fault(s_try_load(va), CAUSE_LOAD_PAGE_FAULT, va, 92);

    /* ---- a PTE change, then sfence.vma */
    volatile uint64_t *ro = slot(T + P_RO * PAGE, 0);
    *ro |= PTE_W | PTE_D;
    sfence();
    CHECK(s_try_store(T + P_RO * PAGE + 24, 0x3333) == 0 && data0[3] == 0x3333, 100);
    *ro = 0;
    sfence();
    expect_fault(s_try_load(T + P_RO * PAGE), CAUSE_LOAD_PAGE_FAULT, T + P_RO * PAGE, 101);

    /* ---- code pages: a remapped code page and a page that lost X, after sfence.vma */
    va = T + P_X2 * PAGE;
    CHECK(s_try_exec(va) == 0 && s_value == 42, 102);  /* ret42, its page now cached for fetch */
    ((volatile uint32_t *)data2)[0] = 0x00700513;      /* li a0, 7 */
    ((volatile uint32_t *)data2)[1] = 0x00008067;      /* ret */
    __asm__ volatile("fence.i" ::: "memory");
    *slot(va, 0) = pte((uint64_t)data2, PTE_X | PTE_A | PTE_V);
    sfence();
    CHECK(s_try_exec(va) == 0 && s_value == 7, 103);
    *slot(va, 0) = pte((uint64_t)data2, PTE_R | PTE_A | PTE_V);
    sfence();
    expect_fault(s_try_exec(va), CAUSE_FETCH_PAGE_FAULT, va, 104);

    /* ---- sfence.vma of one address: that page; a megapage, from any address in it */
    va = T + P_RW * PAGE;
    CHECK(s_try_load(va) == 0 && s_value == 0x1111, 105);      /* cached: data0 */
    *slot(va, 0) = pte((uint64_t)data1, PTE_R | PTE_W | AD | PTE_V);
    sfence_va(va + 0x800);
    CHECK(s_try_load(va) == 0 && s_value == 0x7777, 106);      /* now data1 */
    /* (Offset 0x80000: a TLB index no page of this program shares, so the entry stays cached.) */
    *(volatile uint64_t *)(BIG_PA + 0x80000) = 0xaaaa;
    *(volatile uint64_t *)(BIG_PA2 + 0x80000) = 0xbbbb;
    va = T + 1 * MEGA;
    volatile uint64_t *mega = slot(va, 1);
    CHECK(s_try_load(va + 0x1238) == 0 && s_value == 0x5555, 107);  /* two of its pages cached */
    CHECK(s_try_load(va + 0x80000) == 0 && s_value == 0xaaaa, 108);
    *mega = pte(BIG_PA2, PTE_R | PTE_W | AD | PTE_V);
    sfence_va(va + 0x1238);                                    /* another page of the megapage */
    CHECK(s_try_load(va + 0x80000) == 0 && s_value == 0xbbbb, 109);

    CHECK(trap_count == 0, 110);                   /* nothing reached M */
    pass();
}

/*
 * S-mode probes: each returns 0 (value in s_value) or the cause of the delegated exception it
 * raised (scause, stval, sepc in strap_*), resuming in S through the runtime's S handler.
 */
__asm__(
    "    .text\n"
    "    .globl s_try_load, s_try_store, s_try_exec, s_try_user, enter_s\n"
    "s_try_load:\n"
    "    la t0, 1f + 1\n"
    "    sd t0, strap_recover, t1\n"
    "    ld a1, 0(a0)\n"
    "    sd zero, strap_recover, t1\n"
    "    sd a1, s_value, t1\n"
    "    li a0, 0\n"
    "    ret\n"
    "1:  ld a0, strap_cause\n"
    "    ret\n"
    "s_try_store:\n"
    "    la t0, 1f + 1\n"
    "    sd t0, strap_recover, t1\n"
    "    sd a1, 0(a0)\n"
    "    sd zero, strap_recover, t1\n"
    "    li a0, 0\n"
    "    ret\n"
    "1:  ld a0, strap_cause\n"
    "    ret\n"
    "s_try_exec:\n"
    "    addi sp, sp, -16\n"
    "    sd ra, 0(sp)\n"
    "    la t0, 1f + 1\n"
    "    sd t0, strap_recover, t1\n"
    "    jalr a0\n"
    "    sd zero, strap_recover, t1\n"
    "    sd a0, s_value, t1\n"
    "    li a0, 0\n"
    "    j 2f\n"
    "1:  ld a0, strap_cause\n"
    "2:  ld ra, 0(sp)\n"
    "    addi sp, sp, 16\n"
    "    ret\n"
    /* s_try_user(va, arg): runs U code at va with a0 = arg until it traps; 8 = it reached ecall. */
    "s_try_user:\n"
    "    la t0, 1f + 1\n"
    "    sd t0, strap_recover, t1\n"
    "    csrw sepc, a0\n"
    "    li t0, 0x100\n"                 /* sstatus.SPP = U */
    "    csrc sstatus, t0\n"
    "    mv a0, a1\n"
    "    li a7, 0\n"
    "    sret\n"
    "1:  sd a1, s_value, t1\n"
    "    ld a0, strap_cause\n"
    "    ret\n"
    /* enter_s(fn): continues at fn in S-mode. */
    "enter_s:\n"
    "    csrw mepc, a0\n"
    "    li t0, 0x1800\n"
    "    csrc mstatus, t0\n"
    "    li t0, 0x800\n"
    "    csrs mstatus, t0\n"
    "    mret\n"
    "    .data\n"
    "    .balign 8\n"
    "    .globl s_value\n"
    "s_value: .dword 0\n"
    /* The code page, mapped at several virtual addresses. */
    "    .section .pagetext, \"ax\"\n"
    "    .globl code_page, ret42, u_load, u_jump, cross_insn\n"
    "code_page:\n"
    "ret42:\n"
    "    li a0, 42\n"
    "    ret\n"
    "u_load:\n"                          /* U: a1 = *a0, then ecall */
    "    ld a1, 0(a0)\n"
    "    ecall\n"
    "u_jump:\n"                          /* U: jump to a0 */
    "    jr a0\n"
    "    .org 0xffe\n"
    "    .option push\n"
    "    .option norvc\n"
    "cross_insn:\n"                      /* a 32-bit instruction across the end of the page */
    "    addi a0, zero, 1\n"
    "    ret\n"
    "    .option pop\n"
    "    .text\n");
