/* interp: a small stack-based bytecode interpreter (switch dispatch, hard-to-predict branches)
 * running a bytecode program that computes Collatz step counts for 1..N and folds them into a
 * hash. Usage: interp [N] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, MOD, SHR, ODD, LT, JZ, JMP, HALT };
struct insn { uint8_t op; int32_t arg; };

static int64_t run(const struct insn *code, int64_t *vars, long *executed) {
    int64_t stack[64];
    int sp = 0;
    long count = 0;
    for (int pc = 0;; count++) {
        const struct insn *i = &code[pc++];
        switch (i->op) {
        case PUSH: stack[sp++] = i->arg; break;
        case LOAD: stack[sp++] = vars[i->arg]; break;
        case STORE: vars[i->arg] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case SHR: stack[sp - 1] >>= i->arg; break;
        case ODD: stack[sp - 1] &= 1; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JZ: if (stack[--sp] == 0) pc = i->arg; break;
        case JMP: pc = i->arg; break;
        case HALT: *executed = count + 1; return vars[3];
        default: abort();
        }
    }
}

/* a tiny assembler with labels: jump arguments are label numbers until fixed up */
static struct insn code[128];
static int ncode, labels[16];
static void emit(enum op op, int32_t arg) { code[ncode++] = (struct insn){op, arg}; }
static void label(int l) { labels[l] = ncode; }
static void fixup(void) {
    for (int i = 0; i < ncode; i++)
        if (code[i].op == JZ || code[i].op == JMP) code[i].arg = labels[code[i].arg];
}

enum { I, X, STEPS, HASH, N };                       /* variables */
enum { OUTER, INNER, EVEN, NEXT, DONE, END };         /* labels */

int main(int argc, char **argv) {
    int64_t vars[5] = {0};
    vars[N] = argc > 1 ? atoll(argv[1]) : 130000;
    emit(PUSH, 1); emit(STORE, I);
    label(OUTER);
    emit(LOAD, I); emit(LOAD, N); emit(LT, 0); emit(JZ, END);
    emit(LOAD, I); emit(STORE, X); emit(PUSH, 0); emit(STORE, STEPS);
    label(INNER);
    emit(LOAD, X); emit(PUSH, 1); emit(SUB, 0); emit(JZ, DONE);
    emit(LOAD, X); emit(ODD, 0); emit(JZ, EVEN);
    emit(LOAD, X); emit(PUSH, 3); emit(MUL, 0); emit(PUSH, 1); emit(ADD, 0); emit(STORE, X);
    emit(JMP, NEXT);
    label(EVEN);
    emit(LOAD, X); emit(SHR, 1); emit(STORE, X);
    label(NEXT);
    emit(LOAD, STEPS); emit(PUSH, 1); emit(ADD, 0); emit(STORE, STEPS);
    emit(JMP, INNER);
    label(DONE);
    emit(LOAD, HASH); emit(PUSH, 31); emit(MUL, 0); emit(LOAD, STEPS); emit(XOR, 0);
    emit(PUSH, 1000000007); emit(MOD, 0); emit(STORE, HASH);
    emit(LOAD, I); emit(PUSH, 1); emit(ADD, 0); emit(STORE, I);
    emit(JMP, OUTER);
    label(END);
    emit(HALT, 0);
    fixup();

    long executed = 0;
    int64_t h = run(code, vars, &executed);
    printf("interp n=%lld bytecodes=%ld hash=%lld\n", (long long)vars[N], executed, (long long)h);
    return 0;
}
