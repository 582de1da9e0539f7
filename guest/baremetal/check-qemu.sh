#!/usr/bin/env bash
# Runs the bare-metal programs (after build.sh) under qemu-system-riscv64 -machine virt -bios none,
# the reference machine, and checks each exit status against programs.txt. Prints one line per
# program; exits non-zero if any differs. Programs marked "qemu no" (HTIF) are skipped.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "$here/.." && pwd)/build/baremetal"
command -v qemu-system-riscv64 >/dev/null ||
  { echo "check-qemu.sh: qemu-system-riscv64 not installed (Debian: qemu-system-misc)" >&2; exit 2; }
"$here/build.sh" || exit 1
fails=0
while read -r name harts status qemu; do
  case "$name" in ''|\#*) continue ;; esac
  if [ "$qemu" != yes ]; then echo "skip $name (not for QEMU)"; continue; fi
  out="$(timeout 60 qemu-system-riscv64 -machine virt -bios none -nographic -smp "$harts" \
           -kernel "$build/$name" </dev/null 2>&1)"
  rc=$?
  if [ "$rc" = "$status" ]; then
    echo "ok   $name"
  else
    echo "FAIL $name: exit status $rc, expected $status"
    printf '%s\n' "$out" | tail -n 5 | sed 's/^/    /'
    fails=1
  fi
done <"$here/programs.txt"
exit "$fails"
