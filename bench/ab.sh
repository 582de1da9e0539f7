#!/usr/bin/env bash
# Compares two builds of Rivet on one program, alternating their runs so that both see the same
# changes in the host's speed (neighbours on a shared machine move single timings by 30 % or more).
#   bench/ab.sh [-n RUNS] A.jar B.jar PROGRAM [ARGS...]
# Each run is `RIVET_JAR=X.jar ./rivet run --stats PROGRAM ARGS`: the launcher, with its JVM
# options and a class-data archive beside each jar; prints the wall-clock seconds and the warm MIPS
# (--stats: the rate over the last 75 % of the instructions) of every run, then the median and the
# best of each build, and in how many rounds (one run of each) B was faster. Exits non-zero if a
# run fails. Make the jars with `mvn -q package -DskipTests` and copy target/rivet.jar aside
# between builds (in target/: their manifest finds the libraries in target/lib).
# A_OPTS and B_OPTS add JVM options to the runs of each (RIVET_JAVA_OPTS: compare -Drivet.jit.*
# settings or HotSpot flags with one jar given twice: A_OPTS=-Drivet.jit.locals=0 bench/ab.sh X.jar X.jar P).
set -uo pipefail
runs=5
if [ "${1:-}" = "-n" ]; then runs="$2"; shift 2; fi
if [ $# -lt 3 ]; then sed -n '2,12p' "$0"; exit 2; fi
jar_a="$1" jar_b="$2"; shift 2
for j in "$jar_a" "$jar_b"; do [ -f "$j" ] || { echo "ab.sh: no such jar: $j" >&2; exit 2; }; done
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The launcher's first run of a jar makes its start-up cache first (a training run, about two
# seconds): each jar's is made here, by a short run of the program, before anything is timed.
for j in "$jar_a" "$jar_b"; do
  [ -f "${j%.jar}-run.aot" ] && [ "${j%.jar}-run.aot" -nt "$j" ] && continue
  RIVET_JAR="$j" "$project/rivet" run --max-insns 100000000 "$@" >/dev/null 2>&1 || true
done

declare -A warm wall
one() { # one LABEL JAR PROGRAM [ARGS...]: runs it once, prints and keeps its numbers
  local label="$1" jar="$2" err t0 t1 mips opts
  shift 2
  if [ "$label" = A ]; then opts="${A_OPTS:-}"; else opts="${B_OPTS:-}"; fi
  err=$(mktemp)
  t0=$(date +%s.%N)
  if ! RIVET_JAR="$jar" RIVET_JAVA_OPTS="$opts" "$project/rivet" run --stats "$@" >/dev/null 2>"$err"; then
    echo "ab.sh: run of $label failed:" >&2; tail -5 "$err" >&2; rm -f "$err"; exit 1
  fi
  t1=$(date +%s.%N)
  mips=$(grep -oE 'warm MIPS: [0-9.]+' "$err" | awk '{print $3}')
  rm -f "$err"
  local secs; secs=$(echo "$t1 - $t0" | bc)
  printf '%s  %6.2f s  warm MIPS %s\n' "$label" "$secs" "${mips:--}"
  wall[$label]+="$secs "
  warm[$label]+="${mips:-0} "
}

# A B, B A, A B, ...: a host that gets steadily slower (or faster) during the runs then favours
# neither build, as it would if B always ran second.
for round in $(seq "$runs"); do
  if [ $((round % 2)) = 1 ]; then
    one A "$jar_a" "$@"; one B "$jar_b" "$@"
  else
    one B "$jar_b" "$@"; one A "$jar_a" "$@"
  fi
done

summary() { # summary LABEL
  local w m
  w=$(tr ' ' '\n' <<<"${wall[$1]}" | grep . | sort -n)
  m=$(tr ' ' '\n' <<<"${warm[$1]}" | grep . | sort -n)
  printf '%s  median %6.2f s, best %6.2f s;  warm MIPS median %s, best %s\n' "$1" \
    "$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$w")" "$(head -1 <<<"$w")" \
    "$(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' <<<"$m")" "$(tail -1 <<<"$m")"
}
echo "--- $runs runs each, alternating (A B, B A, ...)"
summary A
summary B
# Each round's two runs ran at nearly the same host moment: counting the rounds each build won is
# steadier than comparing medians when the host's speed drifts.
read -ra wa <<<"${wall[A]}"; read -ra wb <<<"${wall[B]}"
b_won=0
for i in "${!wa[@]}"; do
  [ "$(echo "${wb[$i]} < ${wa[$i]}" | bc)" = 1 ] && b_won=$((b_won + 1))
done
# The sign test's p (two-sided): how likely so lopsided a count would be if neither build were faster.
echo "B faster than A in $b_won of $runs rounds (sign test p $(python3 "$project/bench/signtest.py" "$b_won" "$runs"))"
