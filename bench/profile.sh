#!/usr/bin/env bash
# Profiles the host code HotSpot made of Rivet's translated regions for one guest program: runs
# `./rivet run --stats PROGRAM ARGS` with HotSpot printing the machine code of every region
# (-XX:+PrintAssembly, raw bytes: no disassembler plugin needed), samples the process with perf
# after a warm-up, and writes the disassembly of the most sampled regions with each instruction's
# share of the samples to out/profile-NAME.txt (bench/annotate.py; objdump decodes).
#   bench/profile.sh [-d DELAY] [-t SECONDS] [-n TOP] PROGRAM [ARGS...]
# -d: seconds to wait before sampling (default 5: past the translator's warm-up); -t: seconds of
# sampling (default 5); -n: regions to disassemble (default 3). Needs perf (apt-get install
# linux-perf), objdump (binutils) and python3. perf attributes a stalled instruction's samples
# mostly to the instruction after it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
delay=5 seconds=5 top=3
while [ $# -gt 0 ]; do
  case "$1" in
    -d) delay="$2"; shift 2 ;;
    -t) seconds="$2"; shift 2 ;;
    -n) top="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,11p' "$0"; exit 2; }
for tool in perf objdump python3; do
  command -v "$tool" >/dev/null || { echo "profile.sh: needs $tool" >&2; exit 1; }
done
name="$(basename "$1")"
mkdir -p "$here/out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$project/rivet" --help >/dev/null 2>&1 || true   # build first, so that nothing else is timed
# and let the first run after a build make the start-up cache, so that the profiled run has it
"$project/rivet" run --max-insns 100000000 "$@" >/dev/null 2>&1 || true

RIVET_JAVA_OPTS="${RIVET_JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=quiet \
  -XX:CompileCommand=print,dev.rivet.jit.Translated*::run -XX:+LogVMOutput \
  -XX:LogFile=$work/vm.log -XX:-DisplayVMOutput" "$project/rivet" run --stats "$@" \
  >"$work/stdout" 2>"$work/stderr" &
pid=$!
sleep "$delay"
# The launcher execs the JVM, so its pid is the JVM's.
if ! kill -0 "$pid" 2>/dev/null; then
  echo "profile.sh: the program ended within the warm-up; use a longer run or -d less" >&2; exit 1
fi
# perf also stops (with a non-zero status) when the program ends within the sampling time: what
# it wrote by then is kept.
if ! perf record -F 2000 -p "$pid" -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>"$work/perf.err" &&
   { kill -0 "$pid" 2>/dev/null || ! grep -q "Captured and wrote" "$work/perf.err"; }; then
  echo "profile.sh: perf record failed: $(grep -m1 -v '^$' "$work/perf.err")" >&2
  kill "$pid" 2>/dev/null; exit 1
fi
wait "$pid" || { echo "profile.sh: the run failed:" >&2; tail -5 "$work/stderr" >&2; exit 1; }
perf script -i "$work/perf.data" -F ip >"$work/ips" 2>/dev/null
out="$here/out/profile-$name.txt"
python3 "$here/annotate.py" "$work/vm.log" "$work/ips" "$out" "$top"
grep -E "warm MIPS|^jit:" "$work/stderr" || true
echo "annotated machine code: ${out#$project/}"
