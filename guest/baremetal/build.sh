#!/usr/bin/env bash
# Builds the bare-metal test programs into guest/build/baremetal/NAME (ELF, linked at 0x80000000
# with link.ld and runtime.S). Every NAME.S / NAME.c here except runtime.S is one program; a
# source line "BUILD-VARIANTS: a:FLAGS b:FLAGS ..." builds NAME-a, NAME-b, ... instead (FLAGS
# comma-separated, e.g. -DLEVELS=3).
# Incremental: a program is rebuilt only when missing or older than its source, bm.h, runtime.S,
# link.ld or this script. Installs the cross compiler with apt-get when it is missing.
# Prints one "build.sh: FAILED ..." line per failure and exits non-zero if anything failed.
# Usage: guest/baremetal/build.sh [-v]
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(cd "$here/.." && pwd)/build/baremetal"
verbose=0
[ "${1:-}" = "-v" ] && verbose=1

CC="${RISCV_CC:-riscv64-linux-gnu-gcc}"
FLAGS=(-march=rv64gc_zba_zbb_zbs -mabi=lp64d -mcmodel=medany -fno-pie -no-pie -nostdlib -nostartfiles
       -static -ffreestanding -fno-builtin -O2 -g -Wall -Wextra -I"$here" -T "$here/link.ld"
       -Wl,--build-id=none)

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "build.sh: $CC missing, installing gcc-riscv64-linux-gnu" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y gcc-riscv64-linux-gnu >&2 ||
    { $sudo apt-get update >&2 && $sudo apt-get install -y gcc-riscv64-linux-gnu >&2; }
fi
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "build.sh: FAILED no riscv64 cross compiler ($CC) and apt-get could not install it" >&2
  exit 1
fi

mkdir -p "$out"
common=("$here/bm.h" "$here/runtime.S" "$here/link.ld" "$here/build.sh")
failed=0

# build OUTPUT SOURCE EXTRA-FLAGS...
build() {
  local o="$1" src="$2"; shift 2
  local i stale=0
  [ -e "$o" ] || stale=1
  for i in "$src" "${common[@]}"; do [ "$i" -nt "$o" ] && stale=1; done
  [ "$stale" = 0 ] && return 0
  [ "$verbose" = 1 ] && echo "  $CC ${FLAGS[*]} $* -o $o runtime.S $src" >&2
  local log
  log="$(mktemp)"
  if "$CC" "${FLAGS[@]}" "$@" -o "$o" "$here/runtime.S" "$src" >"$log" 2>&1; then
    echo "built baremetal/$(basename "$o")" >&2
  else
    rm -f "$o"
    sed 's/^/    /' "$log" >&2
    echo "build.sh: FAILED baremetal/$(basename "$o") from $(basename "$src")" >&2
    failed=1
  fi
  rm -f "$log"
}

shopt -s nullglob
for src in "$here"/*.S "$here"/*.c; do
  file="$(basename "$src")"
  [ "$file" = runtime.S ] && continue
  name="${file%.*}"
  variants="$(sed -n 's/.*BUILD-VARIANTS:[[:space:]]*//p' "$src" | head -n 1)"
  if [ -z "$variants" ]; then
    build "$out/$name" "$src"
  else
    for v in $variants; do
      IFS=, read -r -a vflags <<<"${v#*:}"
      build "$out/$name-${v%%:*}" "$src" "${vflags[@]}"
    done
  fi
done
exit "$failed"
