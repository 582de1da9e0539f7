#!/usr/bin/env bash
# Runs every built guest program (guest/build.sh first) under qemu-riscv64, the reference for
# "what real riscv64 Linux prints", and checks it against programs.txt and expected/NAME.out.
#   guest/check-qemu.sh            verify; prints one line per program/variant, exits non-zero
#                                  if anything differs
#   guest/check-qemu.sh --update   (re)write expected/NAME.out from the static variant's output
#                                  for programs whose reference is qemu (never for "expected" ones)
# Programs with reference "expected" cannot run under qemu-user (e.g. exec: no binfmt_misc), so
# they are skipped here.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sysroot=/usr/riscv64-linux-gnu
update=0
[ "${1:-}" = "--update" ] && update=1
command -v qemu-riscv64 >/dev/null || { echo "check-qemu.sh: qemu-riscv64 not installed" >&2; exit 2; }
"$here/build.sh" || exit 1

export RIVET_GUEST_VAR=hello-guest LC_ALL=C
ulimit -c 0
fails=0
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

while read -r line; do
  line="${line%%#*}"
  [ -z "${line// /}" ] && continue
  eval "set -- $line"
  name="$1" status="$2" ref="$3"; shift 3
  [ "$ref" = qemu ] || { echo "skip     $name (reference: $ref)"; continue; }
  found=0
  for variant in static static-pie dynamic go; do
    prog="$here/build/$variant/$name"
    [ -x "$prog" ] || continue
    found=1
    work="$scratch/$variant-$name"
    mkdir -p "$work"
    args=()
    for a in "$@"; do
      a="${a//@SELF/$work/self-$name}"
      args+=("${a//@WORK/$work}")
    done
    cp "$prog" "$work/self-$name"
    qemu=(qemu-riscv64)
    [ "$variant" = dynamic ] && qemu+=(-L "$sysroot")
    { (cd "$work" && exec timeout 120 "${qemu[@]}" "$prog" "${args[@]}") >"$scratch/out" 2>"$scratch/stderr"; } 2>/dev/null
    rc=$?
    problem=""
    [ "$rc" = "$status" ] || problem="exit status $rc, expected $status"
    if [ -z "$problem" ] && [ -f "$here/expected/$name.out" ] && [ "$update" = 0 ] &&
       ! cmp -s "$scratch/out" "$here/expected/$name.out"; then
      problem="stdout differs from expected/$name.out"
      diff "$scratch/out" "$here/expected/$name.out" | head -20 | sed 's/^/    /'
    fi
    if [ -n "$problem" ]; then
      echo "FAIL     $variant/$name: $problem"
      sed 's/^/    stderr: /' "$scratch/stderr" | head -5
      fails=$((fails + 1))
    else
      echo "ok       $variant/$name"
      if [ "$update" = 1 ] && { [ "$variant" = static ] || [ "$variant" = go ]; }; then
        cp "$scratch/out" "$here/expected/$name.out"
      fi
    fi
  done
  [ "$found" = 1 ] || { echo "FAIL     $name: not built"; fails=$((fails + 1)); }
done <"$here/programs.txt"

[ "$fails" = 0 ] || { echo "check-qemu.sh: $fails failure(s)"; exit 1; }
echo "check-qemu.sh: all passed"
