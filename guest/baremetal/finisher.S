/*
 * finisher: the exit path every other program relies on (QEMU virt test finisher at 0x100000:
 * 0x5555 powers off with status 0, (code << 16) | 0x3333 with status code), reached through
 * the runtime's fail/pass service call; the UART prints "PASS" or "FAIL <code>".
 * BUILD-VARIANTS: pass:-DCODE=0 code42:-DCODE=42
 */
#include "bm.h"

    .text
    .globl main
main:
    li a0, CODE
    j fail
