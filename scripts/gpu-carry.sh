#!/usr/bin/env bash
# Fills gpu-carry/ (gitignored) with what scripts/gpu-check.sh needs on a GPU machine that has no
# network and no apt: the Debian 12 packages finsent builds against (the -dev packages of
# scripts/setup.sh and CMakeLists.txt's find_package/pkg_check_modules, the runtime libraries they
# depend on, pkg-config), the gloo headers .deb that scripts/setup-libtorch.sh pins, and the data the
# tests and benchmarks read (../shared/data: the Financial PhraseBank and bert-base-uncased's vocab.txt,
# which does not travel with the working tree).
# Run here, on Debian 12 (bookworm) amd64 with apt and the network. Idempotent: a package already
# downloaded at the version apt gives is kept.
# Usage: scripts/gpu-carry.sh [--list]
#   --list  print the packages, the versions apt gives and their sizes; download nothing
set -euo pipefail
cd "$(dirname "$0")/.."

DEST=gpu-carry
LIMIT_MIB=60
SHARED="${FINSENT_SHARED_DATA:-../shared/data}"

# What CMakeLists.txt finds (libtcmalloc_minimal is optional and left out; libbenchmark is not used by
# the targets gpu-check.sh builds), then everything they depend on below libc/libstdc++ (apt-cache
# depends --recurse on bookworm, minus libc6/libc6-dev/libgcc-s1/libstdc++6/gcc-12-base/libcrypt*/
# libnsl*/libtirpc*/linux-libc-dev/rpcsvc-proto, which every machine that compiles C++ has).
# gpu-check.sh uses a runtime library from here only when the machine has no library of that soname.
DEV=(
  libdnnl-dev            # oneDNN: find_library(dnnl), find_path(oneapi/dnnl/dnnl.h)
  libutf8proc-dev        # pkg_check_modules(libutf8proc)
  libonig-dev            # pkg_check_modules(oniguruma)
  libprotobuf-dev        # pkg_check_modules(protobuf)
  libcpp-httplib-dev     # pkg_check_modules(cpp-httplib): a compiled library on Debian 12 (libcpp-httplib0.11)
  libcurl4-openssl-dev   # find_package(CURL)
  libssl-dev             # find_package(OpenSSL COMPONENTS Crypto); cpp-httplib.pc requires openssl
  zlib1g-dev libbrotli-dev  # cpp-httplib.pc's Requires.private (pkg-config checks them), protobuf.pc
  nlohmann-json3-dev     # find_package(nlohmann_json) (headers)
  libcli11-dev           # find_package(CLI11) (headers)
  libgtest-dev libgmock-dev googletest  # find_package(GTest): static libraries + GTestConfig.cmake
  pkgconf pkgconf-bin libpkgconf3       # find_package(PkgConfig), in case the machine lacks pkg-config
)
RUNTIME=(
  libdnnl2 ocl-icd-libopencl1 libgomp1
  libutf8proc2 libonig5 libprotobuf32 libprotobuf-lite32 zlib1g
  libcpp-httplib0.11 libbrotli1 libssl3
  libcurl4 libnghttp2-14 libidn2-0 libunistring2 libpsl5 librtmp1 libgnutls30 libhogweed6 libnettle8
  libgmp10 libp11-kit0 libffi8 libtasn1-6 libssh2-1 libgssapi-krb5-2 libkrb5-3 libk5crypto3
  libkrb5support0 libcom-err2 libkeyutils1 libldap-2.5-0 libsasl2-2 libsasl2-modules-db libdb5.3
  libzstd1
)
PACKAGES=("${DEV[@]}" "${RUNTIME[@]}")

# The gloo headers (torch's wheel lacks them; c10d's ProcessGroupGloo.hpp includes them): the same
# pinned .deb as scripts/setup-libtorch.sh, read from there so the two never disagree.
eval "$(grep -E '^GLOO_(DEB|URL|SHA256)=' scripts/setup-libtorch.sh)"
WHEEL_CACHE="${FINSENT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/finsent}/wheels"

LIST=0
case "${1:-}" in
  --list) LIST=1 ;;
  "") ;;
  *) echo "gpu-carry: error: unknown option $1 (usage: scripts/gpu-carry.sh [--list])" >&2; exit 2 ;;
esac

[[ "$(dpkg --print-architecture 2>/dev/null)" == amd64 ]] ||
  { echo "gpu-carry: error: needs Debian amd64 (the GPU machine is x86-64)" >&2; exit 1; }
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release ||
  echo "gpu-carry: warning: not Debian 12 (bookworm); the packages are that release's on the GPU machine" >&2

# version PACKAGE: the candidate version apt gives for PACKAGE (empty if none).
version() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}'; }

if [[ -z "$(version libdnnl-dev)" || "$(version libdnnl-dev)" == "(none)" ]]; then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
fi

mkdir -p "$DEST/debs" "$DEST/data"
# Symbolic links travel as links only (the device tool): every .deb here must be a plain file.
find "$DEST/debs" -type l -delete
total=0
pins=()
printf '%-24s %-32s %9s\n' package version bytes
for p in "${PACKAGES[@]}"; do
  v="$(version "$p")"
  if [[ -z "$v" || "$v" == "(none)" ]]; then
    echo "gpu-carry: error: apt knows no candidate for $p" >&2
    exit 1
  fi
  size="$(apt-cache show "$p=$v" | awk '/^Size:/ {print $2; exit}')"
  total=$((total + size))
  printf '%-24s %-32s %9s\n' "$p" "$v" "$size"
  pins+=("$p=$v")
done
echo "gpu-carry: ${#pins[@]} packages, $((total / 1024)) KiB of .debs"
((LIST)) && exit 0

# Downloads only what is missing; apt-get download checks each file against the archive's hashes.
# Files are named PACKAGE_VERSION_ARCH.deb with ':' in an epoch written %3a.
missing=()
for pin in "${pins[@]}"; do
  p="${pin%%=*}" v="${pin#*=}"
  compgen -G "$DEST/debs/${p}_${v//:/%3a}_*.deb" >/dev/null || missing+=("$pin")
done
if ((${#missing[@]})); then
  echo "gpu-carry: downloading ${#missing[@]} package(s)"
  (cd "$DEST/debs" && apt-get download -q "${missing[@]}")
fi
# Keep exactly the pinned set (older versions of a package from an earlier run go).
for f in "$DEST"/debs/*.deb; do
  base="$(basename "$f")"
  keep=0
  for pin in "${pins[@]}"; do
    p="${pin%%=*}" v="${pin#*=}"
    [[ "$base" == "${p}_${v//:/%3a}_"*.deb ]] && keep=1 && break
  done
  ((keep)) || { echo "gpu-carry: removing $base (not pinned now)"; rm -f "$f"; }
done

if [[ ! -f "$DEST/debs/$GLOO_DEB" ]]; then
  if [[ -f "$WHEEL_CACHE/$GLOO_DEB" ]]; then
    cp "$WHEEL_CACHE/$GLOO_DEB" "$DEST/debs/"
  else
    curl -fsSL --retry 2 -o "$DEST/debs/$GLOO_DEB.part" "$GLOO_URL"
    mv "$DEST/debs/$GLOO_DEB.part" "$DEST/debs/$GLOO_DEB"
  fi
fi
echo "$GLOO_SHA256  $DEST/debs/$GLOO_DEB" | sha256sum -c --quiet - ||
  { echo "gpu-carry: error: $GLOO_DEB does not have the pinned sha256" >&2; rm -f "$DEST/debs/$GLOO_DEB"; exit 1; }

# The data (read-only inputs beside the checkout; copied, never committed: gpu-carry/ is ignored).
if [[ ! -f "$SHARED/FinancialPhraseBank-v1.0/Sentences_50Agree.txt" || ! -f "$SHARED/bert-base-uncased/vocab.txt" ]]; then
  echo "gpu-carry: error: $SHARED lacks FinancialPhraseBank-v1.0/ or bert-base-uncased/vocab.txt (set FINSENT_SHARED_DATA)" >&2
  exit 1
fi
rm -rf "$DEST/data"
mkdir -p "$DEST/data"
cp -r "$SHARED/FinancialPhraseBank-v1.0" "$SHARED/bert-base-uncased" "$DEST/data/"
chmod -R u+w "$DEST/data"

{
  echo "# scripts/gpu-carry.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ), $(grep -m1 PRETTY_NAME= /etc/os-release)"
  (cd "$DEST/debs" && sha256sum -- *.deb)
} >"$DEST/MANIFEST"

size_kib="$(du -sk "$DEST" | cut -f1)"
echo "gpu-carry: $DEST is $((size_kib / 1024)) MiB ($(find "$DEST/debs" -name '*.deb' | wc -l) .debs, data, MANIFEST)"
if ((size_kib > LIMIT_MIB * 1024)); then
  echo "gpu-carry: error: over $LIMIT_MIB MiB (the run tool carries 64 MiB in all, the working tree included)" >&2
  exit 1
fi
