#!/usr/bin/env bash
# Compiles every BPF entry file (*.c directly in SRC_DIR) into OUT_DIR/<name>.o.
# Run by Maven at generate-resources (main programs) and generate-test-resources (test objects).
# Checks the toolchain first so a missing package fails with the name of what to install.
#
# usage: build-bpf.sh SRC_DIR OUT_DIR [INCLUDE_DIR]
# env:   CLANG  the clang to use (default: clang, else the newest clang-NN on PATH)
set -euo pipefail

src_dir=$1
out_dir=$2
include_dir=${3:-$src_dir}

fail() {
  echo "build-bpf: $*" >&2
  exit 1
}

find_clang() {
  if [ -n "${CLANG:-}" ]; then
    command -v "$CLANG" || fail "CLANG=$CLANG is not an executable"
    return
  fi
  if command -v clang >/dev/null 2>&1; then
    command -v clang
    return
  fi
  # Debian installs versioned binaries (clang-14, clang-16) when only clang-NN is installed.
  local versioned
  versioned=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)
  [ -n "$versioned" ] || fail "clang not found: install the Debian package 'clang' (apt-get install -y clang llvm) or set CLANG"
  command -v "$versioned"
}

clang_bin=$(find_clang)
multiarch_include=/usr/include/$(uname -m)-linux-gnu

[ -f /usr/include/bpf/bpf_helpers.h ] ||
  fail "/usr/include/bpf/bpf_helpers.h not found: install the Debian package 'libbpf-dev' (apt-get install -y libbpf-dev)"
[ -f "$multiarch_include/asm/types.h" ] || [ -f /usr/include/asm/types.h ] ||
  fail "asm/types.h not found: install the Debian package 'linux-libc-dev' (apt-get install -y linux-libc-dev)"
[ -f /usr/include/linux/bpf.h ] ||
  fail "/usr/include/linux/bpf.h not found: install the Debian package 'linux-libc-dev' (apt-get install -y linux-libc-dev)"

mkdir -p "$out_dir"
shopt -s nullglob
sources=("$src_dir"/*.c)
[ ${#sources[@]} -gt 0 ] || fail "no BPF sources in $src_dir"

for source in "${sources[@]}"; do
  object="$out_dir/$(basename "${source%.c}").o"
  # -g emits BTF, which libbpf needs for BTF-defined maps and which the layout tests read.
  "$clang_bin" -target bpf -O2 -g -Wall -Werror \
    -I"$multiarch_include" -I"$include_dir" \
    -c "$source" -o "$object" ||
    fail "clang failed on $source (see the compiler output above)"
done
echo "build-bpf: compiled ${#sources[@]} object(s) into $out_dir with $clang_bin" >&2
