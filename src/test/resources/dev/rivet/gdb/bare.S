/*
 * Bare-metal test program for the system VM's gdb stub and tracer (linked at 0x80000000, M-mode,
 * no firmware): a loop, an ecall into a trap handler, "K\n" on the UART, 42 stored to data_word,
 * then a spin that powers off (exit 0) once data_word is 7, or fails with exit code 5 after
 * 100 million rounds.
 */
    .section .text.start
    .globl _start
_start:
    la t0, trap_handler
    csrw mtvec, t0
    li s0, 0
    li s1, 5
loop:
    addi s0, s0, 1
    blt s0, s1, loop
    .globl before_ecall
before_ecall:
    ecall
    .globl after_ecall
after_ecall:
    li t1, 0x10000000       /* UART: print "K\n" */
    li t2, 'K'
    sb t2, 0(t1)
    li t2, '\n'
    sb t2, 0(t1)
    la t3, data_word
    li t4, 42
    sd t4, 0(t3)
    li s2, 100000000        /* spin until the debugger sets data_word to 7, or give up */
    .globl spin
spin:
    ld t4, 0(t3)
    li t5, 7
    beq t4, t5, pass
    addi s2, s2, -1
    bnez s2, spin
    li t1, 0x100000         /* syscon finisher: fail with exit code 5 */
    li t2, 0x53333
    sw t2, 0(t1)
1:  j 1b
pass:
    li t1, 0x100000         /* syscon finisher: power off */
    li t2, 0x5555
    sw t2, 0(t1)
2:  j 2b

    .align 4
    .globl trap_handler
trap_handler:
    csrr t5, mcause
    csrr t6, mepc
    addi t6, t6, 4
    csrw mepc, t6
    mret

    .data
    .globl data_word
data_word: .dword 0
