#!/usr/bin/env python3
"""Summarises bench/boot-ab.sh's lines (read from the file given, or stdin): for the boot and for
every timed guest command (by name and by occurrence, so two runs of one command stay apart), the
median of A's and of B's runs in seconds and in how many rounds B was faster. A round is two
consecutive lines, one of each build; a measure equal in both counts as neither faster. Each count
comes with its sign test's p: how likely so lopsided a count (either way) would be if neither build
were faster (two-sided, binomial with p = 1/2); 5 of 8 has p = 0.73, 7 of 8 p = 0.07."""
import re
import statistics
import sys

from signtest import sign_test


def measures(line):
    """The measures of one line, in order: ('booted', s), then (NAME#K, s) per TIME entry."""
    out = [("booted", float(re.search(r"booted\s+([0-9.]+) s", line).group(1)))]
    seen = {}
    for name, ms in re.findall(r"(\S+)=([0-9]+) ms", line):
        seen[name] = seen.get(name, 0) + 1
        key = name if seen[name] == 1 else f"{name}#{seen[name]}"
        out.append((key, int(ms) / 1000))
    return dict(out)


def main():
    # The guest's console ends its lines with CR LF: a CR may sit inside a line of boot-ab.sh.
    text = open(sys.argv[1], newline="").read() if len(sys.argv) > 1 else sys.stdin.read()
    lines = [l for l in text.replace("\r", "").split("\n") if re.match(r"^[AB] booted", l)]
    rounds = []
    for first, second in zip(lines[0::2], lines[1::2]):
        pair = {first[0]: measures(first), second[0]: measures(second)}
        if set(pair) == {"A", "B"}:
            rounds.append(pair)
    if not rounds:
        print("boot-summary: no complete rounds")
        return
    keys = [k for k in rounds[0]["A"] if all(k in r["A"] and k in r["B"] for r in rounds)]
    print(f"--- {len(rounds)} rounds (medians in seconds)")
    for k in keys:
        a = [r["A"][k] for r in rounds]
        b = [r["B"][k] for r in rounds]
        faster = sum(1 for r in rounds if r["B"][k] < r["A"][k])
        print(f"{k:16s} A {statistics.median(a):6.3f}  B {statistics.median(b):6.3f}  "
              f"B faster in {faster} of {len(rounds)} (p {sign_test(faster, len(rounds)):.2f})")


main()
