#!/usr/bin/env bash
# Times each benchmark (bench/src/*.c) under Rivet with the interpreter only (--jit off) and with
# the translator (--jit on), under qemu-riscv64 and as a host-native build, the engines taking
# turns run by run, checks that all print the same checksum, and prints a table.
#   bench/run.sh [-n RUNS] [--no-rivet] [--no-qemu] [--no-interp] [NAME...]
# -n RUNS: run each configuration RUNS times and report the fastest (default 1).
# Times are wall-clock seconds of the whole process (for Rivet this includes JVM start-up and the
# translator's warm-up: "cold"). "jit warm MIPS" is the translator's rate once warm, measured
# inside the run: --stats prints the instructions and time of the part of the run after the first
# (warm-up) quarter of its instructions.
# Rivet MIPS = guest instructions reported by --stats ("instructions: N" on stderr) / Rivet time.
# Exits non-zero if any checksum differs or any run fails.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
rivet="${RIVET:-$project/rivet}"       # the launcher; RIVET=... to time another build of it
runs=1 use_rivet=1 use_qemu=1 use_interp=1
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --no-rivet) use_rivet=0; shift ;;
    --no-qemu) use_qemu=0; shift ;;
    --no-interp) use_interp=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done
if [ ${#names[@]} -eq 0 ]; then
  for c in "$here"/src/*.c; do names+=("$(basename "$c" .c)"); done
fi
command -v qemu-riscv64 >/dev/null || { [ "$use_qemu" = 1 ] && echo "run.sh: qemu-riscv64 not found, skipping it" >&2; use_qemu=0; }

# --- machine description ---------------------------------------------------------------------
java_bin=java
for j in "${RIVET_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}"; do
  [ -n "$j" ] && [ -x "$j/bin/java" ] && { java_bin="$j/bin/java"; break; }
done
echo "# Rivet benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# nproc:    $(nproc)"
echo "# cpu:      $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "# memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "# load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min averages at start)"
"$java_bin" -version 2>&1 | sed 's/^/# java:     /'
[ "$use_qemu" = 1 ] && echo "# qemu:     $(qemu-riscv64 --version | head -1)"
echo "# gcc:      $(gcc --version | head -1); riscv64: $(riscv64-linux-gnu-gcc --version 2>/dev/null | head -1)"
echo "# runs:     best of $runs"
echo

"$here/build.sh" 2>/dev/null || { echo "run.sh: bench/build.sh failed" >&2; "$here/build.sh"; exit 1; }
if [ "$use_rivet" = 1 ]; then
  # let the launcher build the jar before anything is timed
  "$rivet" --help >/dev/null 2>&1 || true
  # and make its start-up cache (the first run after a build does), with a short run
  "$rivet" run --max-insns 100000000 "$here/out/riscv64/${names[0]}" >/dev/null 2>&1 || true
  # From here on the launcher runs that jar as built (RIVET_JAR: never rebuilt), so that a source
  # edit while the benchmark runs cannot rebuild it, and retrain its caches, between two runs.
  [ "$rivet" = "$project/rivet" ] && export RIVET_JAR="${RIVET_JAR:-$project/target/rivet.jar}"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# once KEY OUT ERR CMD...: runs CMD once; keeps the fastest run of each KEY (engine) so far: its
# seconds in BEST[KEY], its output in OUT and ERR (whose --stats the table reports), and the status
# of a failed run in FAILED[KEY]
declare -A BEST FAILED
once() {
  local key="$1" out="$2" err="$3"; shift 3
  local s e t rc
  s=$(date +%s%N)
  "$@" >"$out.run" 2>"$err.run"
  rc=$?
  e=$(date +%s%N)
  [ "$rc" = 0 ] || FAILED[$key]=$rc
  t=$((e - s))
  if [ -z "${BEST[$key]:-}" ] || [ "$t" -lt "${BEST[$key]}" ]; then
    BEST[$key]=$t
    mv -f "$out.run" "$out"
    mv -f "$err.run" "$err"
  fi
  rm -f "$out.run" "$err.run"
}
seconds() { awk -v ns="${BEST[$1]}" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

fmt="%-9s %8s %8s %8s %8s %9s %9s %8s %8s %9s  %s\n"
printf "$fmt" program "interp s" "jit s" "qemu s" "native s" "jit/qemu" "interp/jit" "int MIPS" "jit MIPS" "warm MIPS" checksum
failures=0
# rivet_stats ERR SECONDS: sets MIPS and WARM from a run's --stats
rivet_stats() {
  local insns
  insns="$(grep -o 'instructions: *[0-9][0-9,_]*' "$1" | tail -1 | tr -dc '0-9')"
  MIPS="-"; WARM="$(grep -o 'warm MIPS: *[0-9.]*' "$1" | tail -1 | awk '{print $NF}')"
  [ -n "$insns" ] && MIPS=$(awk -v n="$insns" -v t="$2" 'BEGIN { printf "%.0f", n / t / 1e6 }')
}
for name in "${names[@]}"; do
  rv="$here/out/riscv64/$name" nat="$here/out/native/$name"
  [ -x "$rv" ] && [ -x "$nat" ] || { echo "run.sh: $name is not built" >&2; failures=$((failures + 1)); continue; }

  # The engines take turns, run after run, so that all of them see the host's slower and faster
  # moments (its speed moves by 10-15 % within an hour); each keeps its fastest run.
  BEST=() FAILED=()
  modes=""
  if [ "$use_rivet" = 1 ]; then modes="on"; [ "$use_interp" = 1 ] && modes="off on"; fi
  for ((i = 0; i < runs; i++)); do
    once native "$tmp/native.out" "$tmp/native.err" "$nat"
    [ "$use_qemu" = 1 ] && once qemu "$tmp/qemu.out" "$tmp/qemu.err" qemu-riscv64 "$rv"
    for mode in $modes; do
      once "rivet-$mode" "$tmp/rivet-$mode.out" "$tmp/rivet-$mode.err" "$rivet" run --jit "$mode" --stats "$rv"
    done
  done
  tn=$(seconds native); status="ok"
  [ -z "${FAILED[native]:-}" ] || status="native failed (${FAILED[native]})"

  tq=""; ti=""; tj=""; mi="-"; mj="-"; warm="-"
  if [ "$use_qemu" = 1 ]; then
    tq=$(seconds qemu)
    if [ -n "${FAILED[qemu]:-}" ]; then status="qemu failed (${FAILED[qemu]})"
    elif ! cmp -s "$tmp/qemu.out" "$tmp/native.out"; then status="MISMATCH qemu vs native"; fi
  fi
  for mode in $modes; do
    t=$(seconds "rivet-$mode")
    rivet_stats "$tmp/rivet-$mode.err" "$t"
    if [ "$mode" = off ]; then ti=$t; mi=$MIPS; else tj=$t; mj=$MIPS; warm=${WARM:--}; fi
    if [ -n "${FAILED[rivet-$mode]:-}" ]; then
      status="rivet --jit $mode failed (${FAILED[rivet-$mode]}): $(head -c 200 "$tmp/rivet-$mode.err" | tr '\n' ' ')"
    elif ! cmp -s "$tmp/rivet-$mode.out" "$tmp/native.out"; then
      status="MISMATCH rivet --jit $mode vs native"
    fi
  done
  [ "$status" = ok ] && status="ok $(tail -1 "$tmp/native.out" | awk '{print $NF}' | sed 's/^[a-z]*=//' | cut -c1-16)"
  [[ "$status" == ok* ]] || failures=$((failures + 1))
  printf "$fmt" "$name" "${ti:--}" "${tj:--}" "${tq:--}" "$tn" "$(ratio "$tj" "$tq")" "$(ratio "$ti" "$tj")" "$mi" "$mj" "$warm" "$status"
done
[ "$failures" = 0 ] || { echo "run.sh: $failures failure(s)" >&2; exit 1; }
