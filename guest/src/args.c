/*
 * args: argv, envp and the auxiliary vector.
 * Prints the arguments after argv[0] (argv[0] itself only by basename), the value of
 * RIVET_GUEST_VAR from the environment (the harness sets it), and auxv facts that are the same
 * on every riscv64 Linux: page size, AT_RANDOM bytes present, hwcap ISA letters.
 */
#include "check.h"
#include <elf.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv, char **envp) {
    CHECK(argc >= 1);
    CHECK(argv[argc] == NULL);
    const char *base = strrchr(argv[0], '/');
    printf("argc=%d argv0=%s\n", argc, base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\"\n", i, argv[i]);

    /* envp is the same array as environ, NULL terminated, entries look like NAME=value. */
    CHECK(envp == environ);
    int n = 0;
    for (char **e = envp; *e; e++, n++) CHECK(strchr(*e, '=') != NULL);
    /* the auxv starts right after envp's terminating NULL */
    Elf64_auxv_t *auxv = (Elf64_auxv_t *)(envp + n + 1);
    int seen_pagesz = 0;
    for (Elf64_auxv_t *a = auxv; a->a_type != AT_NULL; a++)
        if (a->a_type == AT_PAGESZ) seen_pagesz = (a->a_un.a_val == 4096);
    CHECK(seen_pagesz);
    const char *v = getenv("RIVET_GUEST_VAR");
    printf("RIVET_GUEST_VAR=%s\n", v ? v : "(unset)");
    CHECK(setenv("ARGS_TEST", "set-by-guest", 1) == 0);
    printf("ARGS_TEST=%s\n", getenv("ARGS_TEST"));

    /* argv strings live on the initial stack, above envp pointer array */
    CHECK((uintptr_t)argv[0] > (uintptr_t)envp);

    unsigned long pagesz = getauxval(AT_PAGESZ);
    printf("AT_PAGESZ=%lu sysconf=%ld\n", pagesz, sysconf(_SC_PAGESIZE));
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(rnd != NULL);
    int nonzero = 0;
    if (rnd)
        for (int i = 0; i < 16; i++) nonzero |= rnd[i];
    printf("AT_RANDOM present=%d nonzero=%d\n", rnd != NULL, nonzero != 0);

    unsigned long hwcap = getauxval(AT_HWCAP);
    printf("AT_HWCAP letters=");
    for (int b = 0; b < 26; b++)
        if (hwcap & (1UL << b)) putchar('a' + b);
    putchar('\n');
    CHECK((hwcap & (1UL << ('i' - 'a'))) && (hwcap & (1UL << ('m' - 'a'))) &&
          (hwcap & (1UL << ('a' - 'a'))) && (hwcap & (1UL << ('f' - 'a'))) &&
          (hwcap & (1UL << ('d' - 'a'))) && (hwcap & (1UL << ('c' - 'a'))));

    CHECK(getauxval(AT_PHDR) != 0);
    CHECK(getauxval(AT_PHENT) == sizeof(Elf64_Phdr));
    CHECK(getauxval(AT_PHNUM) > 0);
    CHECK(getauxval(AT_ENTRY) != 0);
    CHECK(getauxval(AT_UID) == (unsigned long)getuid());
    CHECK(getauxval(AT_EUID) == (unsigned long)geteuid());
    CHECK(getauxval(AT_GID) == (unsigned long)getgid());
    CHECK(getauxval(AT_SECURE) == 0);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    CHECK(execfn != NULL);
    if (execfn) {
        const char *eb = strrchr(execfn, '/');
        printf("AT_EXECFN basename=%s\n", eb ? eb + 1 : execfn);
    }
    /* the program headers reachable through AT_PHDR include a PT_LOAD */
    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    int loads = 0;
    for (unsigned long i = 0; ph && i < getauxval(AT_PHNUM); i++) loads += ph[i].p_type == PT_LOAD;
    CHECK(loads > 0);
    return DONE("args");
}
