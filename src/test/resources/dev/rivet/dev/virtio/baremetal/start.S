# Entry of a bare-metal test program: a stack, then main(), which ends the machine itself.
    .section .text.start
    .globl _start
_start:
    la sp, stack_top
    call main
1:  j 1b
