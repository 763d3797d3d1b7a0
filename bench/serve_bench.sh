#!/usr/bin/env bash
# Load test of `finsent serve`: requests/s and p50/p99 latency at 1, 8 and 32 concurrent clients,
# with dynamic batching and with --no-batching. One JSON line per run on stdout, then one per mode
# with the server's peak resident memory (VmHWM) after all its runs.
# Usage: bench/serve_bench.sh MODEL_DIR [SECONDS_PER_RUN=10] [BUILD_DIR=build] [PORT=18080]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:?usage: bench/serve_bench.sh MODEL_DIR [SECONDS] [BUILD_DIR] [PORT]}"
seconds="${2:-10}"
build="${3:-build}"
port="${4:-18080}"
finsent="$build/finsent"
loadgen="$build/bench/serve_bench"
[[ -x "$finsent" && -x "$loadgen" ]] || { echo "build $finsent and $loadgen first" >&2; exit 1; }

for mode in batching no-batching; do
  flags=()
  [[ $mode == no-batching ]] && flags=(--no-batching)
  "$finsent" serve --model "$model" --port "$port" "${flags[@]}" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  "$loadgen" --port "$port" --clients 1 --seconds 2 >/dev/null  # warm-up
  for clients in 1 8 32; do
    # Exit status 1 means some requests failed (e.g. 429 when the queue is full); the JSON counts them.
    result=$("$loadgen" --port "$port" --clients "$clients" --seconds "$seconds" --json) || true
    batches=$(curl -s "http://127.0.0.1:$port/metrics" |
      awk '/^finsent_batch_size_(sum|count) /{v[$1]=$2} END{printf "%.2f", v["finsent_batch_size_sum"]/v["finsent_batch_size_count"]}')
    echo "{\"mode\": \"$mode\", \"mean_batch_size_so_far\": $batches, ${result#\{}"
  done
  rss=$(awk '/^VmHWM:/{printf "%.1f", $2 / 1024}' "/proc/$pid/status")
  echo "{\"mode\": \"$mode\", \"server_peak_rss_mib\": $rss}"
  kill -TERM "$pid"
  wait "$pid"
done
