/* Test program for the gdb stub: break in square(), read locals, step, watch counter, exit 3. */
#include <stdio.h>

int counter;

int square(int x) {
    int result = x * x;
    return result;
}

int main(int argc, char **argv) {
    int total = 0;
    for (int i = 1; i <= 4; i++) {
        total += square(i);
        counter = total;
    }
    printf("total %d\n", total);
    return total == 30 ? 3 : 1;
}
