#!/usr/bin/env python3
"""The two-sided sign test of an A/B comparison: how likely so lopsided a count of rounds won
(either way) would be if neither build were faster (binomial with p = 1/2); 5 of 8 has p = 0.73,
7 of 8 p = 0.07, 8 of 8 p = 0.008. `python3 bench/signtest.py WINS ROUNDS` prints it (bench/ab.sh);
bench/boot-summary.py imports it."""
import math
import sys


def sign_test(wins, rounds):
    """Two-sided sign test: the chance of a count at least as far from rounds/2 as wins."""
    k = min(wins, rounds - wins)
    tail = sum(math.comb(rounds, i) for i in range(k + 1)) / 2 ** rounds
    return min(1.0, 2 * tail)


if __name__ == "__main__":
    print(f"{sign_test(int(sys.argv[1]), int(sys.argv[2])):.2f}")
