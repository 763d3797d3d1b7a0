#!/usr/bin/env bash
# Creates .venv-ref with the Python reference stack used by tools/ fixture scripts and bench/.
# Never needed by the build or the test suite. Usage: tools/reference-env.sh; then .venv-ref/bin/python ...
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv-ref/bin/python ]] || python3 -m venv .venv-ref
.venv-ref/bin/pip install -q torch transformers tokenizers safetensors scikit-learn tensorboard onnxruntime onnx accelerate
echo ".venv-ref ready"
