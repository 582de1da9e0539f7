#!/usr/bin/env bash
# System-VM benchmark: boots the reference guest (../shared/guest, or GUEST=DIR) under Rivet and
# under qemu-system-riscv64 with the same images, in one run, and prints a table of
#   - seconds from start to the guest's "guest: booted" line (JVM start-up included for Rivet),
#   - seconds of commands inside the guest, each run twice (timed by the guest): sha256sum of 16 MiB
#     of zeros (CPU-bound), a busybox shell loop of 20,000 increments, 100 fork+exec of /bin/true.
#   bench/boot.sh [-n RUNS]     (best of RUNS, default 1, the engines taking turns boot by boot;
#   every run's times are printed too, and its console output, with Rivet's --stats, is kept in
#   bench/out/boot-ENGINE-K.log)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
guest="${GUEST:-$project/../shared/guest}"
runs=1
[ "${1:-}" = "-n" ] && runs="$2"
engines=(rivet)
if command -v qemu-system-riscv64 >/dev/null; then
  engines+=(qemu)
else
  echo "boot.sh: qemu-system-riscv64 not found (apt-get install qemu-system-misc); its column stays empty" >&2
fi

echo "# Rivet system-VM benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# guest: $guest"

# The commands, in the order they run and the table lists them; each prints "TIME NAME MS" (timed
# with /proc/uptime: busybox date has no %N). poweroff runs on a line of its own whatever happens.
measures=(sha256sum sha256sum#2 shellloop shellloop#2 forkexec forkexec#2)
script='t() { a=$(cut -d" " -f1 /proc/uptime); "$@" >/dev/null 2>&1; b=$(cut -d" " -f1 /proc/uptime); echo "TIME $1 $(echo "$a $b" | awk "{ printf \"%d\", (\$2 - \$1) * 1000 }")"; }
sha256sum16() { dd if=/dev/zero bs=1M count=16 2>/dev/null | sha256sum; }
shellloop() { i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; }
forkexec() { for i in $(seq 100); do /bin/true; done; }
t sha256sum16; t sha256sum16; t shellloop; t shellloop; t forkexec; t forkexec
poweroff -f'

# run_one LOG CMD... : prints "<boot seconds> <seconds of each command, in order>" ("-" for a
# command that printed no time) and keeps the run's console output (with Rivet's --stats) in LOG.
# The script is typed only once the guest has printed "guest: booted" (QEMU drops input that
# arrives before the serial driver is up).
run_one() {
  local log="$1" out fifo start t_boot="" pid
  shift
  out=$(mktemp); fifo=$(mktemp -u); mkfifo "$fifo"
  start=$(date +%s.%N)
  "$@" <"$fifo" >"$out" 2>&1 &
  pid=$!
  exec 9>"$fifo"
  for _ in $(seq 1 6000); do
    if grep -q "guest: booted" "$out"; then t_boot=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.3f", $1 - $2 }'); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -n "$t_boot" ]; then sleep 0.5; echo "$script" >&9; fi
  for _ in $(seq 1 6000); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null
  exec 9>&-
  local times
  times=$(grep -ao 'TIME [a-z0-9]* [0-9]*' "$out" | awk '{ printf " %.3f", $3 / 1000 }')
  mv "$out" "$log"
  rm -f "$fifo"
  local n; n=$(echo "$times" | wc -w)
  for ((; n < ${#measures[@]}; n++)); do times+=" -"; done
  printf '%s%s\n' "${t_boot:-fail}" "$times"
}

# best VALUES...: the smallest number among them, or nothing
best() { printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n | head -1; }
# The launcher builds the jar if the sources changed, here, before anything is timed; from then on
# it runs that jar as built (RIVET_JAR: never rebuilt), so that a source edit while the benchmark
# runs cannot rebuild it, and retrain its caches, between two boots.
"$project/rivet" --help >/dev/null 2>&1 || true
export RIVET_JAR="${RIVET_JAR:-$project/target/rivet.jar}"
declare -A results
mkdir -p "$here/out"
for k in $(seq "$runs"); do
  for name in "${engines[@]}"; do
    log="$here/out/boot-$name-$k.log"
    if [ "$name" = rivet ]; then
      r=$(run_one "$log" "$project/rivet" boot --stats --bios "$guest/fw_dynamic.bin" --kernel "$guest/Image" \
          --initrd "$guest/initramfs.cpio.gz" --append "console=ttyS0 quiet" --memory 256M)
    else
      r=$(run_one "$log" qemu-system-riscv64 -machine virt -m 256M -smp 1 -bios "$guest/fw_dynamic.bin" \
          -kernel "$guest/Image" -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0 quiet" -nographic)
    fi
    echo "# $name run $k: boot and ${measures[*]}: $r s (output: ${log#$project/})"
    results[$name]+="$r"$'\n'
  done
done
# column NAME I: the I-th number (0: the boot) of every run of engine NAME
column() { printf '%s' "${results[$1]:-}" | awk -v i="$(($2 + 1))" 'NF { print $i }'; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ] && echo "scale=2; $1 / $2" | bc || echo "-"; }
printf '\n%-28s %10s %10s %12s\n' "measure" "rivet s" "qemu s" "rivet/qemu"
labels=("start to 'guest: booted'" "sha256sum 16 MiB" "sha256sum 16 MiB, again" "shell loop" "shell loop, again"
        "100 fork+exec" "100 fork+exec, again")
for i in "${!labels[@]}"; do
  r=$(best $(column rivet "$i")); q=$(best $(column qemu "$i"))
  printf '%-28s %10s %10s %12s\n' "${labels[$i]}" "${r:--}" "${q:--}" "$(ratio "$r" "$q")"
done
