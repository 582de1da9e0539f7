/* Shared by the file-system test programs: CHECK prints the failed condition and errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int failures;
#define CHECK(x) do { if (!(x)) { failures++; printf("FAIL line %d: %s (errno %d)\n", __LINE__, #x, errno); } } while (0)
#define DONE() do { printf("%s\n", failures ? "failed" : "ok"); return failures != 0; } while (0)
