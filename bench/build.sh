#!/usr/bin/env bash
# Builds the benchmarks in bench/src/*.c twice: static riscv64 (bench/out/riscv64/NAME, run by
# Rivet and qemu-riscv64) and host-native (bench/out/native/NAME), both with -O2 and
# -ffp-contract=off (no fused multiply-add, so floating-point checksums agree across the two).
# Incremental; installs the cross compiler with apt-get when missing; one line per failure.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/out"
CC_RV="${RISCV_CC:-riscv64-linux-gnu-gcc}"
CC_HOST="${CC:-gcc}"
CFLAGS=(-O2 -Wall -ffp-contract=off)

if ! command -v "$CC_RV" >/dev/null 2>&1 || [ ! -f /usr/riscv64-linux-gnu/lib/libc.a ]; then
  echo "bench/build.sh: installing the riscv64 cross toolchain" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user >&2 ||
    { $sudo apt-get update >&2 && $sudo apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user >&2; }
fi

fails=0
mkdir -p "$out/riscv64" "$out/native"
for c in "$here"/src/*.c; do
  name="$(basename "$c" .c)"
  for target in riscv64 native; do
    o="$out/$target/$name"
    [ -e "$o" ] && [ ! "$c" -nt "$o" ] && [ ! "$here/build.sh" -nt "$o" ] && continue
    if [ "$target" = riscv64 ]; then cmd=("$CC_RV" -static); else cmd=("$CC_HOST"); fi
    if "${cmd[@]}" "${CFLAGS[@]}" -o "$o" "$c" -lm; then
      echo "built $target/$name" >&2
    else
      rm -f "$o"
      echo "bench/build.sh: FAILED $target/$name" >&2
      fails=$((fails + 1))
    fi
  done
done
[ "$fails" = 0 ]
