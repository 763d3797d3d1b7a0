// Checkpoint loading cost: open (validate + map) and open + copy every tensor into fresh memory,
// for a model directory or weights file (safetensors, sharded, or pytorch_model.bin).
// Usage: checkpoint_bench MODEL_DIR_OR_FILE [REPEATS=20]
// Prints one JSON object; bench/checkpoint_vs_python.py runs the same workload in Python.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "finsent/io/checkpoint.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: checkpoint_bench MODEL_DIR_OR_FILE [REPEATS=20]\n");
    return 2;
  }
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
  using clock = std::chrono::steady_clock;
  std::vector<double> open_ms, load_ms;
  size_t tensors = 0, bytes = 0;
  std::string format;
  try {
    for (int r = 0; r < repeats; ++r) {
      auto t0 = clock::now();
      auto reader = finsent::io::CheckpointReader::open(argv[1]);
      auto t1 = clock::now();
      // What a loader does: copy each tensor into memory it owns (as torch::empty + memcpy).
      size_t total = 0;
      for (const auto& t : reader.tensors()) {
        auto data = reader.data(t);
        std::unique_ptr<std::byte[]> dst(new std::byte[data.size() + 1]);
        std::memcpy(dst.get(), data.data(), data.size());
        total += data.size();
      }
      auto t2 = clock::now();
      open_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      load_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
      tensors = reader.tensors().size();
      bytes = total;
      format = reader.format();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "checkpoint_bench: %s\n", e.what());
    return 1;
  }
  std::printf(
      "{\"path\": \"%s\", \"format\": \"%s\", \"tensors\": %zu, \"bytes\": %zu, \"repeats\": %d, "
      "\"open_ms_median\": %.3f, \"open_and_copy_ms_median\": %.3f}\n",
      argv[1], format.c_str(), tensors, bytes, repeats, median(open_ms), median(load_ms));
  return 0;
}
