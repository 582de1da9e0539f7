/*
 * htif (Rivet only: QEMU's virt board has no HTIF): the Spike-style tohost/fromhost interface
 * that `rivet boot --bios none` gives an ELF defining `tohost`.
 * BUILD-VARIANTS: pass:-DEXIT_CODE=0 code42:-DEXIT_CODE=42
 *  - a store of a pointer to {64, 1, buf, len} to tohost prints buf (HTIF write), then the host
 *    clears tohost and sets fromhost to 1, before the next instruction;
 *  - this works although the page holding tohost is already in the hart's TLBs (another word on
 *    it was written and read first);
 *  - a store of (code << 1) | 1 ends the machine with exit status code.
 */
#include "bm.h"

    .text
    .globl main
main:
    la s0, neighbour                /* same page as tohost: now in the read and write TLBs */
    li t0, 5
    sd t0, 0(s0)
    ld t0, 0(s0)
    la s1, tohost
    la s2, fromhost
    la t0, magic
    sd t0, 0(s1)
    ld t0, 0(s1)
    CHECK_EQ t0, 0, 1
    ld t0, 0(s2)
    CHECK_EQ t0, 1, 2
    sd zero, 0(s2)
    li t0, (EXIT_CODE << 1) | 1
    sd t0, 0(s1)
    /* not reached when the HTIF exit works */
    li t0, 1000000
1:  addi t0, t0, -1
    bnez t0, 1b
    FAIL 3

    .section .rodata
message:
    .ascii "hello from htif\n"
message_end:

    .data
    .balign 8
magic:
    .dword 64, 1, message, message_end - message

    .section .tohost, "aw"
    .balign 64
    .globl tohost, fromhost
tohost:    .dword 0
    .balign 64
fromhost:  .dword 0
    .balign 64
neighbour: .dword 0
