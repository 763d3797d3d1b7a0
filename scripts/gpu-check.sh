#!/usr/bin/env bash
# The GPU check of issue 19, in one call of the device tool on a lent NVIDIA machine (an H200 with
# its own Python at /opt/torch/.venv holding torch + transformers, cmake, ninja, a C++ compiler; no
# network, no apt). In well under 10 minutes it:
#   1. prints the environment (GPU, driver, torch/CUDA, cmake/ninja/compiler, glibc, OS),
#   2. unpacks gpu-carry/ (scripts/gpu-carry.sh, run beforehand on Debian 12) into a prefix and
#      builds finsent against the machine's own LibTorch (its Python's site-packages/torch):
#      the bench binaries and the test binaries with CUDA variants first, then the finsent CLI,
#   3. runs the CUDA-parametrized tests (pass/fail/skip counts; a skipped CUDA test is reported),
#   4. benchmarks finsent against PyTorch + Transformers on the same GPU, fp32 and bf16: a training
#      epoch (HF Trainer) and inference throughput (eager, SDPA attention) for a MiniLM-shaped and a
#      BERT-base model (random weights, made on the machine from their configs with the
#      bert-base-uncased vocabulary), plus a seq-128 workload and MFU against the bf16 and fp32
#      torch.matmul peaks measured in the same run,
#   5. prints one table with the issue's goals marked met / not met, and writes it under $OUT
#      (gpu-summary.md, gpu-summary.json; gpu-check.log; logs.tgz; build-errors.log on a failed build).
# Every phase is timed and time-boxed against one budget (FINSENT_GPU_BUDGET_S, default 500 s); a
# phase or benchmark that fails or runs out of time is reported and the rest goes on.
# Usage: scripts/gpu-check.sh            (the device tool's command: see docs/gpu.md)
# Env:   OUT (where results go; default build-gpu/out), FINSENT_GPU_BUDGET_S, FINSENT_GPU_PYTHON
#        (default python3), FINSENT_GPU_WORKLOADS (an extended regex over the workload names, e.g.
#        'bf16' or 'seq128'; default all), FINSENT_GPU_SKIP_TESTS=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SELF="$ROOT/scripts/gpu-check.sh"
export GPU_CHECK_START="${GPU_CHECK_START:-$(date +%s)}"
BUDGET="${FINSENT_GPU_BUDGET_S:-500}"
RESERVE=20  # seconds kept for the summary
PY="${FINSENT_GPU_PYTHON:-python3}"
CARRY="$ROOT/gpu-carry"
DATA="$CARRY/data/FinancialPhraseBank-v1.0"
VOCAB="$CARRY/data/bert-base-uncased/vocab.txt"
B="$ROOT/build-gpu"        # everything this script writes (ignored by git: /build*/)
BT="$B/cmake"              # the CMake build tree
PREFIX="$B/prefix"         # gpu-carry's .debs unpacked
W="$B/work"                # models, data, logs, raw results
OUTDIR="${OUT:-$B/out}"
ENVFILE="$W/env.sh"        # what the unpack step found, for later steps
PHASES="$W/phases.tsv"
BENCH="$W/bench.jsonl"
NPROC="$(nproc)"
ARCH_DIR=x86_64-linux-gnu

elapsed() { echo $(($(date +%s) - GPU_CHECK_START)); }
left() { echo $((BUDGET - RESERVE - $(elapsed))); }
say() { echo "[+$(elapsed)s] $*"; }
# try CMD...: runs CMD, reports a failure, never fails.
try() { "$@" || echo "($1: failed, exit $?)"; }
TORCH_DIR="" PKG_CONFIG_BIN=pkg-config RTLIB=""  # set by load_env from what the unpack step found
# shellcheck source=/dev/null
load_env() { [[ -f "$ENVFILE" ]] && . "$ENVFILE"; return 0; }

# ---------------------------------------------------------------------------------------------
# Steps: each runs in its own process (`$SELF --step NAME`) under `timeout`.

step_env() {
  echo "date (UTC): $(date -u +%Y-%m-%dT%H:%M:%SZ); host $(hostname); $(uname -srm)"
  grep -m1 PRETTY_NAME= /etc/os-release 2>/dev/null || echo "os-release: none"
  echo "glibc: $(ldd --version 2>/dev/null | head -1)"
  echo "cores: $NPROC; memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  try nvidia-smi -L
  try nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,power.limit --format=csv
  try "$PY" -c 'import sys, torch, transformers
print("python", sys.version.split()[0], sys.executable)
print("torch", torch.__version__, "CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version(),
      "device available", torch.cuda.is_available(), "cxx11 ABI", torch.compiled_with_cxx11_abi())
print("torch dir", torch.__path__[0])
print("transformers", transformers.__version__)
if torch.cuda.is_available():
    p = torch.cuda.get_device_properties(0)
    print("device 0:", p.name, f"{p.total_memory / 2**30:.0f} GiB, {p.multi_processor_count} SMs, cc {p.major}.{p.minor}")'
  for tool in cmake ninja c++ g++ gcc nvcc pkg-config dpkg-deb ar tar xz zstd ccache readelf ldconfig; do
    printf '%-10s %s\n' "$tool" "$(command -v "$tool" || echo MISSING)"
  done
  try cmake --version | head -1
  echo "ninja $(ninja --version 2>/dev/null || echo MISSING)"
  try c++ --version | head -1
  try nvcc --version | tail -2
  local glibc
  glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')" || true
  glibc="${glibc:-0}"
  if [[ "$(printf '%s\n2.36\n' "$glibc" | sort -V | head -1)" != 2.36 ]]; then
    echo "WARNING: glibc $glibc is older than Debian 12's 2.36: gpu-carry's libraries may not load here"
  fi
  if [[ ! -d "$CARRY/debs" ]]; then
    echo "WARNING: $CARRY/debs is missing (run scripts/gpu-carry.sh and name gpu-carry in the run tool's carry)"
  else
    echo "gpu-carry: $(find "$CARRY/debs" -name '*.deb' | wc -l) .debs, $(du -sh "$CARRY" | cut -f1)"
  fi
}

# deb_extract DEB DIR: dpkg-deb -x, else ar + tar, else Python (ar format + tarfile).
deb_extract() {
  if command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$1" "$2"
  elif command -v ar >/dev/null; then
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && ar x "$1")
    tar -xf "$tmp"/data.tar.* -C "$2"
    rm -rf "$tmp"
  else
    "$PY" - "$1" "$2" <<'EOF'
import io, sys, tarfile
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"!<arch>\n", "not an ar archive"
pos = 8
while pos < len(data):
    name, size = data[pos:pos + 16].decode().strip().rstrip("/"), int(data[pos + 48:pos + 58].decode().strip())
    body = data[pos + 60:pos + 60 + size]
    if name.startswith("data.tar"):
        tarfile.open(fileobj=io.BytesIO(body)).extractall(sys.argv[2])
    pos += 60 + size + (size & 1)
EOF
  fi
}

step_unpack() {
  [[ -d "$CARRY/debs" ]] || { echo "no $CARRY/debs: run scripts/gpu-carry.sh here first"; return 1; }
  local torch_dir
  torch_dir="$("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')"
  [[ -f "$torch_dir/lib/libtorch_cpu.so" && -f "$torch_dir/include/torch/csrc/api/include/torch/torch.h" ]] ||
    { echo "$torch_dir is not a LibTorch tree (include/, lib/libtorch_cpu.so)"; return 1; }
  rm -rf "${PREFIX:?}" "${B:?}/override-include" "${B:?}/rtlib" "${B:?}/rtlib-all" "${B:?}/bin"
  mkdir -p "$PREFIX" "$B/override-include" "$B/rtlib" "$B/rtlib-all" "$B/bin"
  local deb n=0
  for deb in "$CARRY"/debs/*.deb; do
    deb_extract "$deb" "$PREFIX"
    n=$((n + 1))
  done
  echo "unpacked $n .debs into $PREFIX ($(du -sh "$PREFIX" | cut -f1))"
  # Absolute symbolic links (/usr/lib/... -> /lib/...) point into the prefix instead.
  local link target
  while IFS= read -r link; do
    target="$(readlink "$link")"
    if [[ "$target" == /* && -e "$PREFIX$target" ]]; then ln -sfn "$PREFIX$target" "$link"; fi
  done < <(find "$PREFIX" -type l)
  # pkg-config files: the prefix instead of /usr (prefix=/usr, and hard-coded libdir=/usr/... too).
  find "$PREFIX" -name '*.pc' -exec sed -i -E "s#=/usr#=$PREFIX/usr#g; s#(-[IL])/usr/#\\1$PREFIX/usr/#g" {} +
  # The torch wheel's include/ carries its private oneDNN and protobuf headers (and no gloo): copies
  # of Debian's go into a folder searched first (-I comes before every -isystem), as
  # scripts/setup-libtorch.sh removes the wheel's from .deps/libtorch.
  local inc="$PREFIX/usr/include" h
  for h in "$inc"/oneapi "$inc"/dnnl*.h "$inc"/dnnl*.hpp "$inc"/google "$inc"/gloo; do
    [[ -e "$h" ]] && cp -a "$h" "$B/override-include/"
  done
  echo "override-include: $(find "$B/override-include" -mindepth 1 -maxdepth 1 -printf '%f ')"
  # Runtime libraries: rtlib/ holds the prefix's sonames this machine lacks (ldconfig's cache and
  # torch's lib/ are asked); rtlib-all/ every prefix library not in torch's lib/ (the fallback when
  # a machine's own library of the same soname does not suit the Debian ones).
  local sonames lib name
  sonames="$(ldconfig -p 2>/dev/null | awk '{print $1}' | sort -u)"
  for lib in "$PREFIX/usr/lib/$ARCH_DIR"/*.so.* "$PREFIX/lib/$ARCH_DIR"/*.so.*; do
    [[ -e "$lib" ]] || continue
    name="$(basename "$lib")"
    [[ -e "$torch_dir/lib/$name" ]] && continue
    ln -sfn "$lib" "$B/rtlib-all/$name"
    grep -qxF "$name" <<<"$sonames" || ln -sfn "$lib" "$B/rtlib/$name"
  done
  echo "runtime libraries used from the prefix (this machine has no such soname): $(find "$B/rtlib" -name '*.so.[0-9]*' ! -name '*.so.*.*' -printf '%f ')"
  local pkgconfig="pkg-config"
  if ! command -v pkg-config >/dev/null; then
    printf '#!/bin/sh\nLD_LIBRARY_PATH="%s" exec "%s" "$@"\n' "$PREFIX/usr/lib/$ARCH_DIR" "$PREFIX/usr/bin/pkgconf" >"$B/bin/pkg-config"
    chmod +x "$B/bin/pkg-config"
    pkgconfig="$B/bin/pkg-config"
    echo "pkg-config: the machine has none; using gpu-carry's pkgconf"
  fi
  cat >"$ENVFILE" <<EOF
TORCH_DIR="$torch_dir"
PKG_CONFIG_BIN="$pkgconfig"
RTLIB="$B/rtlib"
EOF
}

step_configure() {
  load_env
  export PKG_CONFIG_PATH="$PREFIX/usr/lib/$ARCH_DIR/pkgconfig:$PREFIX/usr/share/pkgconfig:$PREFIX/usr/lib/pkgconfig"
  local pc=()
  [[ "$PKG_CONFIG_BIN" != pkg-config ]] && pc=(-DPKG_CONFIG_EXECUTABLE="$PKG_CONFIG_BIN")
  local rc=0
  cmake -S "$ROOT" -B "$BT" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DFINSENT_LIBTORCH_DIR="$TORCH_DIR" \
    -DCMAKE_PREFIX_PATH="$PREFIX/usr;$PREFIX" \
    -DCMAKE_CXX_FLAGS="-I$B/override-include" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$PREFIX/usr/lib/$ARCH_DIR:$PREFIX/lib/$ARCH_DIR:$TORCH_DIR/lib" \
    -DCMAKE_POLICY_VERSION_MINIMUM=3.5 "${pc[@]}" >"$W/configure.log" 2>&1 || rc=$?
  grep -vE '^-- (Looking|Performing|Check|Detecting)' "$W/configure.log" | tail -40 || true
  return "$rc"
}

# build_targets LOG TARGET...: ninja with every core, going on past a failed file (-k 0) so that
# what can be built is, a progress line every 20 s; stopped after 30 compile errors (a broken
# header fails every file: no point spending the budget on it). Prints the first errors.
build_targets() {
  local log="$1"
  shift
  cmake --build "$BT" --parallel "$NPROC" --target "$@" -- -k 0 >"$log" 2>&1 &
  local pid=$! rc=0 errors
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    errors="$(grep -c 'error:' "$log" || true)"
    grep -oE '^\[[0-9]+/[0-9]+\][^ ]* [^ ]+ [^ ]+ [^ ]+' "$log" | tail -1 | sed "s/^/  [+$(elapsed)s] /" || true
    if ((errors > 30)); then
      echo "  $errors compile errors: stopping the build"
      kill "$pid" 2>/dev/null || true
      pkill -P "$pid" 2>/dev/null || true
      break
    fi
  done
  wait "$pid" || rc=$?
  if ((rc)); then
    echo "build of $* failed (exit $rc); first errors:"
    grep -E -m 40 -B2 -A6 'error:|Error [0-9]|undefined reference|cannot find -l|not found' "$log" | head -150 |
      tee -a "$OUTDIR/build-errors.log"
  fi
  return "$rc"
}

step_build_core() { build_targets "$W/build-core.log" train_bench inference_bench gemm_bench ops_test pipeline_tests; }
step_build_cli() { build_targets "$W/build-cli.log" finsent app_tests; }

step_libcheck() {
  load_env
  local bin="$BT/bench/train_bench" out rc
  [[ -x "$bin" ]] || { echo "no $bin"; return 1; }
  for dir in "$B/rtlib" "$B/rtlib-all"; do
    rc=0
    out="$(LD_LIBRARY_PATH="$dir" "$bin" 2>&1)" || rc=$?
    if [[ $rc == 2 && "$out" == *usage* ]]; then
      echo "the programs load with LD_LIBRARY_PATH=$dir"
      sed -i '/^RTLIB=/d' "$ENVFILE"
      echo "RTLIB=\"$dir\"" >>"$ENVFILE"
      LD_LIBRARY_PATH="$dir" ldd "$bin" | grep -E 'not found|dnnl|protobuf|curl|ssl|crypto|torch_cpu|c10' | sed 's/^/  /' || true
      return 0
    fi
    echo "with LD_LIBRARY_PATH=$dir: exit $rc: $(head -3 <<<"$out")"
  done
  return 1
}

step_prep() {
  export PYTHONUNBUFFERED=1 TRANSFORMERS_VERBOSITY=error HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
  "$PY" "$ROOT/bench/gpu_check.py" prep "$W" --data "$DATA" --vocab "$VOCAB"
}

# run_gtest NAME FILTER: one test binary, its JSON report in $W/tests/.
run_gtest() {
  local bin="$BT/tests/$2/$1" rc=0
  [[ -x "$bin" ]] || { echo "$1: not built"; return 0; }
  say "$1 --gtest_filter=$3"
  timeout -k 5 "$4" "$bin" --gtest_filter="$3" --gtest_output="json:$W/tests/$1.json" \
    >"$W/tests/$1.log" 2>&1 || rc=$?
  grep -E '^\[==========\] [0-9]+ tests? from .* ran|^\[  (PASSED|FAILED|SKIPPED) ' "$W/tests/$1.log" | sed 's/^/  /' | head -40 || true
  if ((rc == 124 || rc == 137)); then echo "  $1: timed out after $4 s"; fi
  return 0
}

step_tests() {
  load_env
  mkdir -p "$W/tests"
  rm -f "$W/tests"/*.json
  export LD_LIBRARY_PATH="$RTLIB" FINSENT_SHARED_DATA="$CARRY/data" FINSENT_DATA="$DATA"
  # The test binaries that have CUDA variants (grep kCUDA / cuda_available / GTEST_SKIP in tests/):
  # ops (FusedVsGeneric/cuda), pipeline (device_test, device_placement_test, flows_test), app (--device).
  run_gtest ops_test ops 'Devices/FusedVsGeneric.*:AttentionBias.*:KernelDispatch.*' 60
  run_gtest pipeline_tests pipeline 'DeviceSpec.*:ResolveDevice.*:Devices/OnDevice.*:DeviceOptions.*:EvaluateSavedModel.*' 90
  run_gtest app_tests app 'DeviceFlag.*' 60
  "$PY" "$ROOT/bench/gpu_check.py" tests "$W"/tests/*.json >"$W/tests.json"
  "$PY" - "$W/tests.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
print(f"tests: {t['passed']} passed, {t['failed']} failed, {t['skipped']} skipped; per binary: {t['binaries']}")
print(f"  expected skips (CUDA present): {t['skipped_expected'] or 'none'}")
print(f"  CUDA tests skipped: {t['skipped_cuda_tests'] or 'none'}; failed: {t['failed_tests'] or 'none'}")
EOF
}

# ---------------------------------------------------------------------------------------------
if [[ "${1:-}" == --step ]]; then
  "step_$2"
  exit
fi

mkdir -p "$OUTDIR" "$W"
rm -f "$PHASES" "$BENCH" "$OUTDIR/build-errors.log"
exec > >(tee -a "$OUTDIR/gpu-check.log") 2>&1
say "scripts/gpu-check.sh at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), budget ${BUDGET}s"

PHASE_RC=0
# phase NAME CAP CMD...: CMD under timeout (CAP seconds, or what the budget has left); never fails.
phase() {
  local name="$1" cap="$2"
  shift 2
  local t rc=0 t0 t1
  t="$(left)"
  ((cap < t)) && t="$cap"
  if ((t < 5)); then
    say "== $name: skipped (out of time)"
    printf '%s\tskipped\t0\n' "$name" >>"$PHASES"
    PHASE_RC=125
    return 0
  fi
  say "== $name (limit ${t}s)"
  t0="$(date +%s.%N)"
  timeout -k 5 "$t" "$@" || rc=$?
  t1="$(date +%s.%N)"
  local dt
  dt="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')"
  if ((rc == 0)); then
    say "== $name: ok in ${dt}s"
  elif ((rc == 124 || rc == 137)); then
    say "== $name: TIMED OUT after ${dt}s"
  else
    say "== $name: FAILED (exit $rc) in ${dt}s"
  fi
  printf '%s\t%s\t%s\n' "$name" "$rc" "$dt" >>"$PHASES"
  PHASE_RC=$rc
}

phase env 40 "$SELF" --step env

# Models, data and the matmul peaks need only Python and the GPU: made while the CPUs build.
PREP_T0=$(date +%s)
say "== prep (background: models, data, matmul peak) -> $W/prep.log"
timeout -k 5 240 "$SELF" --step prep >"$W/prep.log" 2>&1 &
PREP_PID=$!

BUILT_CORE=0
BUILT_CLI=0
phase unpack 60 "$SELF" --step unpack
if ((PHASE_RC == 0)); then
  phase configure 90 "$SELF" --step configure
  if ((PHASE_RC == 0)); then
    phase build-core 330 "$SELF" --step build_core
    [[ -x "$BT/bench/train_bench" && -x "$BT/bench/inference_bench" ]] && BUILT_CORE=1
    if ((PHASE_RC == 0)); then
      phase build-cli 200 "$SELF" --step build_cli
      ((PHASE_RC == 0)) && BUILT_CLI=1
    else
      say "== build-cli: skipped (build-core did not finish)"
    fi
    if ((BUILT_CORE)); then
      phase libcheck 20 "$SELF" --step libcheck
      ((PHASE_RC == 0)) || BUILT_CORE=0
    fi
  fi
fi
load_env

PREP_RC=0
wait "$PREP_PID" || PREP_RC=$?
printf '%s\t%s\t%s\n' prep "$PREP_RC" "$(($(date +%s) - PREP_T0))" >>"$PHASES"
say "== prep: exit $PREP_RC (log below)"
sed 's/^/  /' "$W/prep.log" | tail -25

if ((BUILT_CORE)) && [[ "${FINSENT_GPU_SKIP_TESTS:-0}" != 1 ]]; then
  ((BUILT_CLI)) || say "(the finsent CLI or app_tests did not build: app_tests is left out)"
  phase tests 150 "$SELF" --step tests
fi

# ---------------------------------------------------------------------------------------------
# Benchmarks: one process per (workload, side), finsent first, each time-boxed; most important first.
mkdir -p "$W/bench-logs"
PYENV=(env PYTHONPATH="$ROOT/bench" PYTHONUNBUFFERED=1 TRANSFORMERS_VERBOSITY=error HF_HUB_OFFLINE=1
  TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=true)
FSENV=(env LD_LIBRARY_PATH="${RTLIB:-}")

# bench_run WORKLOAD IMPL CAP CMD...
bench_run() {
  local w="$1" impl="$2" cap="$3"
  shift 3
  local t rc=0 t0 dt out="$W/bench-logs/$w.$impl.out" err="$W/bench-logs/$w.$impl.err"
  t="$(left)"
  ((cap < t)) && t="$cap"
  if ((t < 15)); then
    say "-- $w / $impl: skipped (out of time)"
    echo "skipped: out of time" >"$err"
    : >"$out"
    rc=125
    dt=0
  else
    say "-- $w / $impl (limit ${t}s)"
    t0="$(date +%s.%N)"
    timeout -k 5 "$t" "$@" >"$out" 2>"$err" || rc=$?
    dt="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')"
    if ((rc == 0)); then
      echo "   $(grep '^{' "$out" | tail -1 | cut -c1-400)"
    else
      echo "   FAILED (exit $rc$( ((rc == 124 || rc == 137)) && echo ', timed out'), ${dt}s): $(tail -3 "$err" | cut -c1-300)"
    fi
  fi
  "$PY" "$ROOT/bench/gpu_check.py" record --workload "$w" --impl "$impl" --rc "$rc" --seconds "$dt" \
    --stdout "$out" --stderr "$err" >>"$BENCH" || echo "   (recording $w / $impl failed)"
}

# kind model data precision batch (names: KIND-MODEL-DATA-PRECISION; bench/gpu_check.py reads them).
WORKLOADS=(
  "train bert-base seq128 bf16 64"
  "train minilm std bf16 16"
  "train bert-base std bf16 16"
  "infer minilm std bf16 32"
  "infer bert-base std bf16 32"
  "train minilm std fp32 16"
  "train bert-base std fp32 16"
  "infer minilm std fp32 32"
  "infer bert-base std fp32 32"
  "infer bert-base seq128 bf16 128"
)
# not_run WORKLOAD IMPL WHY: recorded as not run (exit 125), so the table still lists it.
not_run() {
  echo "not run: $3" >"$W/bench-logs/$1.$2.err"
  : >"$W/bench-logs/$1.$2.out"
  "$PY" "$ROOT/bench/gpu_check.py" record --workload "$1" --impl "$2" --rc 125 --seconds 0 \
    --stdout "$W/bench-logs/$1.$2.out" --stderr "$W/bench-logs/$1.$2.err" >>"$BENCH" || true
}

PREP_OK=1
if ((PREP_RC != 0)) || [[ ! -f "$W/prep.json" ]]; then
  PREP_OK=0
  say "== benchmarks: not run (prep failed: no models or data)"
else
  say "== benchmarks (finsent: $( ((BUILT_CORE)) && echo built || echo 'NOT built: reference side only'))"
fi
for spec in "${WORKLOADS[@]}"; do
  read -r kind model data precision batch <<<"$spec"
  name="$kind-$model-$data-$precision"
  [[ -n "${FINSENT_GPU_WORKLOADS:-}" && ! "$name" =~ ${FINSENT_GPU_WORKLOADS} ]] && continue
  if ((!PREP_OK)); then
    not_run "$name" finsent "prep failed"
    not_run "$name" reference "prep failed"
    continue
  fi
  ((BUILT_CORE)) || not_run "$name" finsent "the bench binaries did not build"
  mdir="$W/models/$model"
  bf=()
  [[ $precision == bf16 ]] && bf=(--bf16)
  if [[ $kind == train ]]; then
    if [[ $data == std ]]; then fs_data="$W/std75-train.jsonl" ref_data="$DATA/Sentences_75Agree.txt"; else
      fs_data="$W/seq128-train.jsonl" ref_data="$W/seq128.txt"; fi
    if ((BUILT_CORE)); then
      bench_run "$name" finsent 120 "${FSENV[@]}" "$BT/bench/train_bench" "$mdir" "$fs_data" "$W/train-out" \
        --epochs 1 --batch-size "$batch" --max-length 128 --threads "$NPROC" --device cuda "${bf[@]}"
    fi
    bench_run "$name" reference 150 "${PYENV[@]}" "$PY" "$ROOT/bench/ref_train.py" "$mdir" "$ref_data" \
      --epochs 1 --batch-size "$batch" --max-length 128 --threads "$NPROC" --device cuda --attn sdpa "${bf[@]}"
  else
    if [[ $data == std ]]; then file="$DATA/Sentences_50Agree.txt"; else file="$W/seq128.txt"; fi
    if ((BUILT_CORE)); then
      bench_run "$name" finsent 90 "${FSENV[@]}" "$BT/bench/inference_bench" "$mdir" "$file" --batch "$batch" \
        --latency-n 50 --threads "$NPROC" --device cuda "${bf[@]}"
    fi
    bench_run "$name" reference 120 "${PYENV[@]}" "$PY" "$ROOT/bench/ref_inference.py" "$mdir" "$file" \
      --backend torch --batch "$batch" --latency-n 50 --threads "$NPROC" --device cuda --attn sdpa "${bf[@]}"
  fi
done

# ---------------------------------------------------------------------------------------------
say "== summary"
"$PY" "$ROOT/bench/gpu_check.py" summary --prep "$W/prep.json" --bench "$BENCH" --tests "$W/tests.json" \
  --phases "$PHASES" --out "$OUTDIR" || say "summary failed (raw results: $BENCH)"
echo
echo "phases (seconds):"
column -t -s $'\t' "$PHASES" 2>/dev/null | sed 's/^/  /' || sed 's/^/  /' "$PHASES"
(cd "$W" && tar -czf "$OUTDIR/logs.tgz" --ignore-failed-read ./*.log ./*.json ./*.jsonl ./*.tsv bench-logs tests 2>/dev/null) || true
say "done: results in $OUTDIR ($(find "$OUTDIR" -maxdepth 1 -type f -printf '%f '))"
sleep 1  # lets tee write the last lines
