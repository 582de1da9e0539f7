#!/usr/bin/env bash
# Builds Rivet's guest test programs into guest/build/:
#   build/static/NAME      C program, -static
#   build/static-pie/NAME  C program, -static-pie (only if the C library has rcrt1.o)
#   build/dynamic/NAME     C program, dynamically linked (run with the sysroot as guest root)
#   build/static/NAME and build/static-pie/NAME are also made from src/NAME.S: assembly with its
#                          own _start, no libc (-nostdlib), -march=rv64gc_zba_zbb_zbs
#   build/go/NAME          Go program from go/NAME/ (GOARCH=riscv64, static)
# Incremental: an output is rebuilt only when missing or older than its inputs (its source,
# src/*.h, this script). Installs the cross toolchain with apt-get when a tool is missing.
# Prints one "build.sh: FAILED ..." line per failure and exits non-zero if anything failed.
# Usage: guest/build.sh [-j N] [-v]
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
out="$here/build"
jobs="$(nproc 2>/dev/null || echo 2)"
verbose=0
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs="$2"; shift 2 ;;
    -j*) jobs="${1#-j}"; shift ;;
    -v) verbose=1; shift ;;
    *) echo "usage: $0 [-j N] [-v]" >&2; exit 2 ;;
  esac
done

CC="${RISCV_CC:-riscv64-linux-gnu-gcc}"
SYSROOT=/usr/riscv64-linux-gnu
CFLAGS=(-O2 -g -Wall -Wextra -Wno-unused-parameter -fno-strict-aliasing)
LIBS=(-pthread -lm)
ASFLAGS=(-march=rv64gc_zba_zbb_zbs -mabi=lp64d -nostdlib -Wl,--build-id=none)

# --- toolchain ---------------------------------------------------------------------------------
toolchain_ok() {
  command -v "$CC" >/dev/null 2>&1 && [ -f "$SYSROOT/lib/libc.a" ] && [ -f "$SYSROOT/lib/libc.so.6" ] &&
    command -v go >/dev/null 2>&1
}
if ! toolchain_ok; then
  echo "build.sh: toolchain incomplete, installing gcc-riscv64-linux-gnu libc6-dev-riscv64-cross golang-go qemu-user" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! { $sudo apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross golang-go qemu-user >&2 ||
         { $sudo apt-get update >&2 &&
           $sudo apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross golang-go qemu-user >&2; }; }; then
    echo "build.sh: FAILED to install the riscv64 cross toolchain with apt-get" >&2
  fi
fi
have_cc=1; have_go=1
command -v "$CC" >/dev/null 2>&1 && [ -f "$SYSROOT/lib/libc.a" ] || have_cc=0
command -v go >/dev/null 2>&1 || have_go=0

# --- job runner --------------------------------------------------------------------------------
failures="$(mktemp)"
trap 'rm -f "$failures"' EXIT
running=0

# up_to_date OUTPUT INPUT...: true when OUTPUT exists and is newer than every INPUT
up_to_date() {
  local o="$1"; shift
  [ -e "$o" ] || return 1
  local i
  for i in "$@"; do [ "$i" -nt "$o" ] && return 1; done
  return 0
}

# build OUTPUT DESCRIPTION COMMAND...: runs COMMAND in the background (at most $jobs at once);
# on failure shows the tool's output and records one line.
build() {
  local o="$1" what="$2"; shift 2
  mkdir -p "$(dirname "$o")"
  while [ "$running" -ge "$jobs" ]; do wait -n; running=$((running - 1)); done
  (
    log="$(mktemp)"
    [ "$verbose" = 1 ] && echo "  $*" >&2
    if "$@" >"$log" 2>&1; then
      echo "built $what" >&2
    else
      rm -f "$o"
      sed 's/^/    /' "$log" >&2
      echo "build.sh: FAILED $what -> ${o#"$here"/}" >>"$failures"
    fi
    rm -f "$log"
  ) &
  running=$((running + 1))
}

fail_now() { echo "build.sh: FAILED $1" >>"$failures"; }

shopt -s nullglob
headers=("$src"/*.h)

# --- C programs: static, static-pie (when the C library supports it), dynamic -------------------
c_variants=(static static-pie dynamic)
if [ "$have_cc" = 1 ] && [ "$("$CC" -print-file-name=rcrt1.o)" = rcrt1.o ]; then
  # Debian's riscv64 glibc is built without --enable-static-pie (no rcrt1.o, no
  # _dl_relocate_static_pie): static-pie C programs cannot be linked, only libc-free ones.
  c_variants=(static dynamic)
  echo "build.sh: note: $CC has no rcrt1.o, so C programs get no static-pie variant (asm ones do)" >&2
fi
for c in "$src"/*.c; do
  name="$(basename "$c" .c)"
  if [ "$have_cc" = 0 ]; then fail_now "$name: no riscv64 cross compiler ($CC)"; continue; fi
  for variant in "${c_variants[@]}"; do
    o="$out/$variant/$name"
    case "$variant" in
      static) vflags=(-static) ;;
      static-pie) vflags=(-static-pie -fPIE) ;;
      dynamic) vflags=() ;;
    esac
    up_to_date "$o" "$c" "${headers[@]}" "$here/build.sh" && continue
    build "$o" "$variant/$name" "$CC" "${CFLAGS[@]}" "${vflags[@]}" -o "$o" "$c" "${LIBS[@]}"
  done
done

# --- assembly programs (no libc): static and static-pie -----------------------------------------
for s in "$src"/*.S; do
  name="$(basename "$s" .S)"
  if [ "$have_cc" = 0 ]; then fail_now "$name: no riscv64 cross compiler ($CC)"; continue; fi
  o="$out/static/$name"
  up_to_date "$o" "$s" "$here/build.sh" ||
    build "$o" "static/$name (asm)" "$CC" "${ASFLAGS[@]}" -static -o "$o" "$s"
  o="$out/static-pie/$name"
  up_to_date "$o" "$s" "$here/build.sh" ||
    build "$o" "static-pie/$name (asm)" "$CC" "${ASFLAGS[@]}" -fPIE \
      -Wl,-static,-pie,--no-dynamic-linker,-z,text -o "$o" "$s"
done

# --- Go programs -------------------------------------------------------------------------------
# the Go build cache needs a home; test runners sometimes have no $HOME
if [ -z "${GOCACHE:-}" ] && [ -z "${XDG_CACHE_HOME:-}" ] && [ -z "${HOME:-}" ]; then
  export GOCACHE="$out/.gocache"
fi
for d in "$here"/go/*/; do
  d="${d%/}"
  name="$(basename "$d")"
  if [ "$have_go" = 0 ]; then fail_now "$name: no Go toolchain (go)"; continue; fi
  o="$out/go/$name"
  up_to_date "$o" "$d"/*.go "$d/go.mod" "$here/build.sh" && continue
  build "$o" "go/$name" env -C "$d" GOOS=linux GOARCH=riscv64 CGO_ENABLED=0 GOTOOLCHAIN=local \
    GOPROXY=off GOFLAGS=-mod=mod go build -trimpath -o "$o" .
done

while [ "$running" -gt 0 ]; do wait -n; running=$((running - 1)); done

if [ -s "$failures" ]; then
  cat "$failures" >&2
  exit 1
fi
exit 0
