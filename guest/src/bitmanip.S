/*
 * bitmanip: a libc-free program with its own _start that talks to Linux through raw ecalls
 * (write = 64, exit = 93). Exercises compressed (RVC) instructions explicitly and the B extension
 * (Zba, Zbb, Zbs). Built with -march=rv64gc_zba_zbb_zbs -nostdlib, both static and static-pie
 * (all addressing is pc-relative, so no relocation is needed).
 * Prints "FAIL check N" and exits 1 at the first wrong result; otherwise prints a summary line
 * with the number of checks and a few computed values, and exits 0.
 */
    .option arch, +zba, +zbb, +zbs

#define SYS_write 64
#define SYS_exit  93

/* EXPECT reg, value: count a check, compare, jump to fail on mismatch (t6 is scratch) */
.macro EXPECT reg, val
    addi    s1, s1, 1
    li      t6, \val
    bne     \reg, t6, fail
.endm

    .text
    .globl  _start
_start:
    li      s1, 0                     /* s1: number of checks so far */
    mv      s0, sp                    /* keep the initial sp: argc is at 0(sp) */

    /* ---------------- RVC, written explicitly ---------------- */
    c.li    a0, 21
    c.addi  a0, 10                    /* 31 */
    EXPECT  a0, 31
    c.li    a1, -3
    c.add   a0, a1                    /* 28 */
    EXPECT  a0, 28
    c.mv    a2, a0
    c.slli  a2, 4                     /* 448 */
    EXPECT  a2, 448
    c.srli  a2, 3                     /* 56 */
    EXPECT  a2, 56
    c.li    a3, -32
    c.srai  a3, 2                     /* -8 */
    EXPECT  a3, -8
    c.andi  a2, 0x1c                  /* 56 & 28 = 24 */
    EXPECT  a2, 24
    c.li    a4, 12
    c.sub   a2, a4                    /* 12 */
    EXPECT  a2, 12
    c.li    a5, 10
    c.xor   a5, a4                    /* 10 ^ 12 = 6 */
    EXPECT  a5, 6
    c.or    a5, a2                    /* 6 | 12 = 14 */
    EXPECT  a5, 14
    c.and   a5, a3                    /* 14 & -8 = 8 */
    EXPECT  a5, 8
    c.lui   a4, 0x12                  /* 0x12000 */
    EXPECT  a4, 0x12000
    li      a4, 0x7fffffff
    c.addiw a4, 1                     /* wraps to INT_MIN, sign-extended */
    EXPECT  a4, -2147483648
    li      a5, 0x100000000
    c.addw  a5, a4                    /* low 32 bits: 0x80000000 -> sign-extended */
    EXPECT  a5, -2147483648
    c.subw  a5, a4                    /* 0 */
    EXPECT  a5, 0

    /* stack-relative loads and stores, c.addi16sp / c.addi4spn */
    c.addi16sp sp, -64
    c.addi4spn a0, sp, 16             /* a0 = sp + 16 */
    li      t0, 0x1122334455667788
    c.sdsp  t0, 8(sp)
    c.ldsp  t1, 8(sp)
    EXPECT  t1, 0x1122334455667788
    c.swsp  t0, 4(sp)
    c.lwsp  t1, 4(sp)                 /* 0x55667788, sign-extended (positive) */
    EXPECT  t1, 0x55667788
    li      a1, -5
    c.sd    a1, 0(a0)
    c.ld    a2, 0(a0)
    EXPECT  a2, -5
    c.sw    a1, 8(a0)
    c.lw    a3, 8(a0)
    EXPECT  a3, -5
    li      t0, 0x4009000000000000    /* 3.125 */
    fmv.d.x fa0, t0
    c.fsd   fa0, 16(a0)
    c.fld   fa1, 16(a0)
    fmv.x.d t1, fa1
    EXPECT  t1, 0x4009000000000000
    c.fsdsp fa0, 56(sp)
    c.fldsp fa2, 56(sp)
    feq.d   t1, fa2, fa0
    EXPECT  t1, 1
    c.addi16sp sp, 64

    /* ---------------- Zba ---------------- */
zba:
    li      a0, 0x10
    li      a1, 0x1000
    sh1add  a2, a0, a1                /* 0x1020 */
    EXPECT  a2, 0x1020
    sh2add  a2, a0, a1                /* 0x1040 */
    EXPECT  a2, 0x1040
    sh3add  a2, a0, a1                /* 0x1080 */
    EXPECT  a2, 0x1080
    li      a0, -1                    /* 0xffff_ffff_ffff_ffff; .uw uses the low 32 bits */
    add.uw  a2, a0, a1
    EXPECT  a2, 0x100000fff
    sh1add.uw a2, a0, a1
    EXPECT  a2, 0x200000ffe
    sh2add.uw a2, a0, a1
    EXPECT  a2, 0x400000ffc
    sh3add.uw a2, a0, a1
    EXPECT  a2, 0x800000ff8
    slli.uw a2, a0, 4
    EXPECT  a2, 0xffffffff0
    zext.w  a2, a0                    /* pseudo for add.uw rd, rs, zero */
    EXPECT  a2, 0xffffffff

    /* ---------------- Zbb ---------------- */
zbb:
    li      a0, 0xf0f0
    li      a1, 0xff00
    andn    a2, a0, a1
    EXPECT  a2, 0x00f0
    orn     a2, a0, a1
    EXPECT  a2, 0xfffffffffffff0ff    /* ~0xff00 | 0xf0f0 */
    xnor    a2, a0, a1
    EXPECT  a2, ~(0xf0f0 ^ 0xff00)
    li      a0, 0x0000100000000000
    clz     a2, a0
    EXPECT  a2, 19
    ctz     a2, a0
    EXPECT  a2, 44
    clz     a2, zero
    EXPECT  a2, 64
    ctz     a2, zero
    EXPECT  a2, 64
    li      a0, 0xffffffff00010000
    clzw    a2, a0
    EXPECT  a2, 15
    ctzw    a2, a0
    EXPECT  a2, 16
    clzw    a2, zero
    EXPECT  a2, 32
    li      a0, 0xf0f0f0f0f0f0f0f1
    cpop    a2, a0
    EXPECT  a2, 33
    cpopw   a2, a0
    EXPECT  a2, 17
    li      a0, -7
    li      a1, 5
    max     a2, a0, a1
    EXPECT  a2, 5
    min     a2, a0, a1
    EXPECT  a2, -7
    maxu    a2, a0, a1
    EXPECT  a2, -7
    minu    a2, a0, a1
    EXPECT  a2, 5
    li      a0, 0x1234567880
    sext.b  a2, a0
    EXPECT  a2, -128
    li      a0, 0x12348001
    sext.h  a2, a0
    EXPECT  a2, -32767
    zext.h  a2, a0
    EXPECT  a2, 0x8001
    li      a0, 0x8000000000000001
    li      a1, 4
    rol     a2, a0, a1
    EXPECT  a2, 0x18
    ror     a2, a0, a1
    EXPECT  a2, 0x1800000000000000
    rori    a2, a0, 1
    EXPECT  a2, 0xc000000000000000
    li      a1, 68                    /* shift amounts are taken mod 64 */
    rol     a2, a0, a1
    EXPECT  a2, 0x18
    li      a0, 0x80000001
    li      a1, 1
    rolw    a2, a0, a1
    EXPECT  a2, 3
    rorw    a2, a0, a1
    EXPECT  a2, -0x40000000           /* 0xc0000000 sign-extended */
    roriw   a2, a0, 4
    EXPECT  a2, 0x18000000
    li      a0, 0x0100200000300004
    orc.b   a2, a0
    EXPECT  a2, 0xff00ff0000ff00ff
    li      a0, 0x0102030405060708
    rev8    a2, a0
    EXPECT  a2, 0x0807060504030201
    mv      s2, a2                    /* printed below */

    /* ---------------- Zbs ---------------- */
zbs:
    li      a0, 0xff
    li      a1, 3
    bclr    a2, a0, a1
    EXPECT  a2, 0xf7
    bset    a2, a0, a1
    EXPECT  a2, 0xff
    li      a1, 63
    bset    a2, a0, a1
    EXPECT  a2, 0x80000000000000ff
    binv    a2, a0, a1
    EXPECT  a2, 0x80000000000000ff
    li      a1, 67                    /* mod 64 -> bit 3 */
    binv    a2, a0, a1
    EXPECT  a2, 0xf7
    bext    a2, a0, a1
    EXPECT  a2, 1
    li      a1, 8
    bext    a2, a0, a1
    EXPECT  a2, 0
    bclri   a2, a0, 0
    EXPECT  a2, 0xfe
    bseti   a2, a0, 40
    EXPECT  a2, 0x100000000ff
    binvi   a2, a0, 7
    EXPECT  a2, 0x7f
    bexti   a2, a0, 7
    EXPECT  a2, 1
    bexti   a2, a0, 62
    EXPECT  a2, 0

    /* ---------------- a small mixed computation ---------------- */
    /* popcount-weighted rolling hash over 1..1000 using B instructions and compressed branches */
    li      a0, 0                     /* acc */
    li      a1, 1000                  /* i */
1:  cpop    t0, a1
    rori    a0, a0, 7
    sh3add  a0, t0, a0
    xnor    a0, a0, a1
    c.addi  a1, -1
    c.bnez  a1, 1b
    mv      s3, a0

    /* c.beqz / c.j / c.jr / c.jalr */
    li      a0, 0
    c.beqz  a0, 2f
    j       fail
2:  lla      t1, 3f
    c.jr    t1
    j       fail
3:  lla      t2, leaf
    c.jalr  t2                        /* ra = return address; leaf returns 99 in a0 */
    EXPECT  a0, 99

    /* argc from the initial stack is at least 1 */
    ld      a0, 0(s0)
    li      t0, 1
    blt     a0, t0, fail
    addi    s1, s1, 1

    /* ---------------- report ---------------- */
    lla      a0, msg_ok
    call    puts_
    mv      a0, s1
    call    put_dec
    lla      a0, msg_rev
    call    puts_
    mv      a0, s2
    call    put_hex
    lla      a0, msg_hash
    call    puts_
    mv      a0, s3
    call    put_hex
    lla      a0, msg_nl
    call    puts_
    li      a0, 0
    li      a7, SYS_exit
    ecall

fail:
    lla      a0, msg_fail
    call    puts_
    mv      a0, s1
    call    put_dec
    lla      a0, msg_nl
    call    puts_
    li      a0, 1
    li      a7, SYS_exit
    ecall

leaf:
    li      a0, 99
    c.jr    ra

/* puts_(a0 = NUL-terminated string): write(1, s, strlen(s)) */
puts_:
    mv      a1, a0
    li      a2, 0
1:  add     a3, a1, a2
    lbu     a3, 0(a3)
    c.beqz  a3, 2f
    c.addi  a2, 1
    c.j     1b
2:  li      a0, 1
    li      a7, SYS_write
    ecall
    ret

/* put_dec(a0 = unsigned value) */
put_dec:
    addi    sp, sp, -32
    addi    a1, sp, 31                /* fill backwards */
    li      t1, 10
1:  remu    t0, a0, t1
    divu    a0, a0, t1
    addi    t0, t0, '0'
    addi    a1, a1, -1
    sb      t0, 0(a1)
    bnez    a0, 1b
    addi    a2, sp, 31
    sub     a2, a2, a1
    li      a0, 1
    li      a7, SYS_write
    ecall
    addi    sp, sp, 32
    ret

/* put_hex(a0): 16 hex digits */
put_hex:
    addi    sp, sp, -32
    li      a4, 16
    mv      a1, sp
1:  rori    a0, a0, 60                /* bring the top nibble to the bottom */
    andi    t0, a0, 15
    li      t1, 10
    blt     t0, t1, 2f
    addi    t0, t0, 'a' - 10 - '0'
2:  addi    t0, t0, '0'
    sb      t0, 0(a1)
    c.addi  a1, 1
    c.addi  a4, -1
    c.bnez  a4, 1b
    li      a0, 1
    mv      a1, sp
    li      a2, 16
    li      a7, SYS_write
    ecall
    addi    sp, sp, 32
    ret

    .section .rodata
msg_ok:   .asciz "bitmanip: all checks passed: "
msg_rev:  .asciz " rev8="
msg_hash: .asciz " hash="
msg_fail: .asciz "FAIL check "
msg_nl:   .asciz "\n"
