#!/usr/bin/env bash
# System-VM benchmark: boots the reference guest (../shared/guest, or GUEST=DIR) under Rivet and
# under qemu-system-riscv64 with the same images, in one run, and prints a table of
#   - seconds from start to the guest's "guest: booted" line (JVM start-up included for Rivet),
#   - seconds of a CPU-bound command inside the guest (sha256sum of 16 MiB of zeros, timed by the guest).
#   bench/boot.sh [-n RUNS]     (best of RUNS, default 1; every run's times are printed too, and its
#   console output, with Rivet's --stats, is kept in bench/out/boot-ENGINE-K.log)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(dirname "$here")"
guest="${GUEST:-$project/../shared/guest}"
runs=1
[ "${1:-}" = "-n" ] && runs="$2"
command -v qemu-system-riscv64 >/dev/null || echo "boot.sh: qemu-system-riscv64 not found (apt-get install qemu-system-misc); its column stays empty" >&2

echo "# Rivet system-VM benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# guest: $guest"

# Timed with /proc/uptime (busybox date has no %N); poweroff runs on a line of its own whatever happens.
script='a=$(cut -d" " -f1 /proc/uptime); dd if=/dev/zero bs=1M count=16 2>/dev/null | sha256sum >/dev/null; b=$(cut -d" " -f1 /proc/uptime); echo "CPU-SECONDS $(echo "$a $b" | awk "{ printf \"%d\", (\$2 - \$1) * 1000 }")"
poweroff -f'

# run_one LOG CMD... : prints "<boot seconds> <in-guest seconds>" and keeps the run's console
# output (with Rivet's --stats) in LOG. The script is typed only once the guest has printed
# "guest: booted" (QEMU drops input that arrives before the serial driver is up).
run_one() {
  local log="$1" out fifo start t_boot="" pid
  shift
  out=$(mktemp); fifo=$(mktemp -u); mkfifo "$fifo"
  start=$(date +%s.%N)
  "$@" <"$fifo" >"$out" 2>&1 &
  pid=$!
  exec 9>"$fifo"
  for _ in $(seq 1 6000); do
    if grep -q "guest: booted" "$out"; then t_boot=$(echo "$(date +%s.%N) - $start" | bc); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -n "$t_boot" ]; then sleep 0.5; echo "$script" >&9; fi
  for _ in $(seq 1 6000); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null
  exec 9>&-
  local ms; ms=$(grep -ao 'CPU-SECONDS [0-9]*' "$out" | awk '{print $2}')
  mv "$out" "$log"
  rm -f "$fifo"
  printf '%s %s\n' "${t_boot:-fail}" "$(echo "scale=3; ${ms:-0} / 1000" | bc)"
}

best() { sort -n | head -1; }
declare -A boot cpu
mkdir -p "$here/out"
for name in rivet qemu; do
  bs=() cs=()
  for k in $(seq "$runs"); do
    log="$here/out/boot-$name-$k.log"
    if [ "$name" = rivet ]; then
      r=$(run_one "$log" "$project/rivet" boot --stats --bios "$guest/fw_dynamic.bin" --kernel "$guest/Image" \
          --initrd "$guest/initramfs.cpio.gz" --append "console=ttyS0 quiet" --memory 256M)
    else
      command -v qemu-system-riscv64 >/dev/null || continue
      r=$(run_one "$log" qemu-system-riscv64 -machine virt -m 256M -smp 1 -bios "$guest/fw_dynamic.bin" \
          -kernel "$guest/Image" -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0 quiet" -nographic)
    fi
    echo "# $name run $k: boot ${r% *} s, in guest ${r#* } s (output: ${log#$project/})"
    bs+=("${r% *}") cs+=("${r#* }")
  done
  boot[$name]=$(printf '%s\n' "${bs[@]}" | best)
  cpu[$name]=$(printf '%s\n' "${cs[@]}" | best)
done
ratio() { [ -n "$1" ] && [ -n "$2" ] && [ "$2" != 0 ] && echo "scale=2; $1 / $2" | bc || echo "-"; }
printf '\n%-28s %10s %10s %12s\n' "measure" "rivet s" "qemu s" "rivet/qemu"
printf '%-28s %10s %10s %12s\n' "start to 'guest: booted'" "${boot[rivet]}" "${boot[qemu]:-}" "$(ratio "${boot[rivet]}" "${boot[qemu]:-}")"
printf '%-28s %10s %10s %12s\n' "sha256sum 16 MiB in guest" "${cpu[rivet]}" "${cpu[qemu]:-}" "$(ratio "${cpu[rivet]}" "${cpu[qemu]:-}")"
