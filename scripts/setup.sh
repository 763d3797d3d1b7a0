#!/usr/bin/env bash
# Installs every Debian package finsent needs (idempotent, non-interactive), LibTorch from PyPI's
# torch wheel into .deps/libtorch (scripts/setup-libtorch.sh), and builds finsent into build/.
# Usage: scripts/setup.sh [--cuda] [--no-build]
#   --cuda  also the CUDA libraries (~3 GB) that `--device cuda` loads at run time; the build is the same.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl python3 python3-pip unzip  # pip, curl: LibTorch (PyPI, Debian)
  libdnnl-dev                                 # oneDNN headers: its fp32 GEMM runs the linear layers
  libgoogle-perftools-dev                     # tcmalloc: the programs' malloc (lower peak RSS)
  libutf8proc-dev libonig-dev libprotobuf-dev nlohmann-json3-dev libcli11-dev libcpp-httplib-dev libcurl4-openssl-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev                     # libFuzzer + sanitizers for the fuzz targets
  chromium wrk                                 # serve: page test in headless Chromium; HTTP load bench
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

CUDA=()
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --cuda) CUDA=(--cuda) ;;
    --no-build) BUILD=0 ;;
    *) echo "setup: error: unknown option $arg (usage: scripts/setup.sh [--cuda] [--no-build])" >&2; exit 2 ;;
  esac
done
scripts/setup-libtorch.sh "${CUDA[@]}"
((BUILD)) || exit 0
# The build takes about 1.6 GB (most of it two precompiled LibTorch headers); past a full disk the
# compiler's own message ("cannot write PCH file") names no cause a user would look for.
free_kb=$(df -Pk . | awk 'NR == 2 {print $4}')
if ((free_kb < 3 * 1024 * 1024)); then
  echo "setup: warning: $((free_kb / 1024)) MB free on the disk of $PWD; the build needs about 1.6 GB" >&2
fi
# Paths relative to the checkout in ccache's keys, so a fresh clone reuses an earlier build's objects.
export CCACHE_BASEDIR="$PWD" CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$(nproc)"
echo "setup: built build/finsent"
