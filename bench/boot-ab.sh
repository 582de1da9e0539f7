#!/usr/bin/env bash
# Compares two builds of Rivet on boots of the reference guest, alternating their boots so that
# both see the same changes in the host's speed.
#   bench/boot-ab.sh [-n ROUNDS] A.jar B.jar SCRIPT
# Each boot runs the launcher on X.jar (`RIVET_JAR=X.jar ./rivet boot`, so with its JVM options and an
# ahead-of-time cache of X's own, X-boot.aot, trained before the first round), types SCRIPT (a file
# of shell lines; end it with `poweroff -f`) into the guest's console, and prints the seconds from
# start to "guest: booted", every `TIME NAME MS` line the guest printed, and how many memory
# accesses translated code left to the interpreter (--stats). Time commands in the guest with
#   t() { a=$(cut -d" " -f1 /proc/uptime); "$@"; b=$(cut -d" " -f1 /proc/uptime);
#         echo "TIME $1 $(echo "$a $b" | awk '{ printf "%d", ($2 - $1) * 1000 }')"; }
# The jars must sit in target/ (their manifest finds the libraries in target/lib). A_OPTS and
# B_OPTS add JVM options to each side (RIVET_JAVA_OPTS; one jar given twice compares HotSpot flags). GUEST=DIR
# boots another guest directory (default ../shared/guest).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
guest="${GUEST:-$project/../shared/guest}"
rounds=3
if [ "${1:-}" = "-n" ]; then rounds="$2"; shift 2; fi
if [ $# -ne 3 ]; then sed -n '2,14p' "$0"; exit 2; fi
jar_a="$1" jar_b="$2" script="$3"
for f in "$jar_a" "$jar_b" "$script" "$guest/Image"; do
  [ -f "$f" ] || { echo "boot-ab.sh: no such file: $f" >&2; exit 2; }
done
# Each jar runs through the launcher (RIVET_JAR), with its options for boots and an ahead-of-time
# cache of its own beside the jar, which the launcher trains on the jar's first boot: a demo run
# here, before anything is timed.
train() { # train JAR
  [ -f "${1%.jar}-boot.aot" ] && [ "${1%.jar}-boot.aot" -nt "$1" ] && return
  echo "boot-ab.sh: training the AOT cache of $1" >&2
  RIVET_JAR="$1" "$project/rivet" demo </dev/null >/dev/null 2>&1
}
train "$jar_a"
train "$jar_b"

one() { # one LABEL JAR: boots once and prints its line
  local label="$1" jar="$2" out start pid booted="" opts
  if [ "$label" = A ]; then opts="${A_OPTS:-}"; else opts="${B_OPTS:-}"; fi
  out=$(mktemp)
  start=$(date +%s.%N)
  RIVET_JAR="$jar" RIVET_JAVA_OPTS="$opts" "$project/rivet" boot \
      --stats --bios "$guest/fw_dynamic.bin" --kernel "$guest/Image" --initrd "$guest/initramfs.cpio.gz" \
      --append "console=ttyS0 quiet" --memory 256M <"$script" >"$out" 2>&1 &
  pid=$!
  for _ in $(seq 1 30000); do
    if [ -z "$booted" ] && grep -aq "guest: booted" "$out"; then booted=$(echo "$(date +%s.%N) - $start" | bc); fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  printf '%s booted %5.2f s  %s| %s\n' "$label" "${booted:-0}" \
      "$(grep -a '^TIME ' "$out" | tr -d '\r' | awk '{ printf "%s=%s ms ", $2, $3 }')" \
      "$(grep -ao '[0-9]* memory accesses left to the interpreter' "$out")"
  rm -f "$out"
}
results=$(mktemp)
for k in $(seq 1 "$rounds"); do
  if [ $((k % 2)) = 1 ]; then one A "$jar_a"; one B "$jar_b"; else one B "$jar_b"; one A "$jar_a"; fi
done | tee "$results"
python3 "$here/boot-summary.py" "$results"
rm -f "$results"
