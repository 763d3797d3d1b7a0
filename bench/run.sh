#!/usr/bin/env bash
# finsent vs the Python stack (sklearn, HF tokenizers, PyTorch eager, ONNX Runtime, HF Trainer).
# Usage: bench/run.sh [harness options, e.g. --groups tokenize,inference --repeats 5]
# Env: FINSENT_BUILD (default build), FINSENT_REF_PYTHON (default .venv-ref/bin/python, created by
# tools/reference-env.sh when missing), FINSENT_BENCH_THREADS (default all cores).
# Builds the bench targets, installs onnxruntime/onnx/accelerate into build-bench/pydeps if the reference stack
# lacks them, fetches all-MiniLM-L6-v2, then runs bench/harness.py -> bench/results.json + a table.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${FINSENT_BUILD:-build}"
PY="${FINSENT_REF_PYTHON:-.venv-ref/bin/python}"
if [[ ! -x "$PY" ]]; then
  tools/reference-env.sh
  PY=.venv-ref/bin/python
fi
[[ -d "$BUILD" ]] || cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
targets=(tokenizer_bench inference_bench train_bench gemm_bench)
if grep -q 'nb_bench' bench/CMakeLists.txt; then targets+=(nb_bench); fi
cmake --build "$BUILD" --target "${targets[@]}" -j"$(nproc)"
scripts/fetch-model.sh
mkdir -p build-bench
# Trainer needs accelerate; ONNX Runtime rows need onnxruntime + onnx. Missing ones go to pydeps.
if ! "$PY" -c 'import onnxruntime, onnx, accelerate' 2>/dev/null &&
  ! PYTHONPATH=build-bench/pydeps "$PY" -c 'import onnxruntime, onnx, accelerate' 2>/dev/null; then
  "$PY" -m pip install -q --upgrade --target build-bench/pydeps --no-deps onnxruntime onnx ml_dtypes flatbuffers \
    accelerate psutil
fi
echo "bench: load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) hardware threads" >&2
exec "$PY" bench/harness.py --build "$BUILD" --python "$PY" --threads "${FINSENT_BENCH_THREADS:-$(nproc)}" "$@"
