// Inference throughput (batch 32, length-sorted dynamic padding) and batch-1 latency of a model
// dir. Usage: inference_bench MODEL_DIR PHRASEBANK_TXT [--batch 32] [--latency-n 200] [--threads N]
// [--bf16] [--device cpu|cuda|cuda:N|auto] [--limit N]. --device (default cpu) is resolved as
// finsent's --device is (pipeline::resolve_device); --bf16 is autocast on that device.
// Prints {"sent_per_s", "seconds", "latency_ms", "sentences"}; bench/harness.py compares it with
// bench/ref_inference.py (PyTorch eager and ONNX Runtime).
#include <torch/torch.h>

#include <algorithm>
#include <cstring>

#include "bench_io.hpp"
#include "finsent/core/threads.hpp"
#include "finsent/models/registry.hpp"
#include "finsent/models/text_classifier.hpp"
#include "finsent/pipeline/device.hpp"
#include "finsent/train/autocast.hpp"

int main(int argc, char** argv) try {
  if (argc < 3) {
    std::cerr << "usage: inference_bench MODEL_DIR PHRASEBANK_TXT [--batch N] [--latency-n N] "
                 "[--threads N] [--bf16] [--device D] [--limit N]\n";
    return 2;
  }
  int64_t batch = 32, latency_n = 200, limit = 0;
  int threads = 0;
  bool bf16 = false;
  std::string device = "cpu";
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--bf16")
      bf16 = true;
    else if (a == "--batch" && i + 1 < argc)
      batch = std::atoll(argv[++i]);
    else if (a == "--latency-n" && i + 1 < argc)
      latency_n = std::atoll(argv[++i]);
    else if (a == "--limit" && i + 1 < argc)
      limit = std::atoll(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--device" && i + 1 < argc)
      device = argv[++i];
  }
  finsent::set_num_threads(threads);
  at::set_num_threads(finsent::num_threads());
  // Speed only: a base encoder (MiniLM) gets a random head of the family's Transformers type, as
  // the Python side's AutoModelForSequenceClassification(num_labels=3) does.
  finsent::models::ClassifierOptions options;
  options.require_trained_head = false;
  options.device = finsent::pipeline::resolve_device(device);
  options.head =
      finsent::models::model_family(finsent::models::ModelConfig::load(argv[1]).model_type)
          .head.name;
  auto classifier = finsent::models::TextClassifier::load(argv[1], options);
  auto sentences = finsent::bench::read_phrasebank_sentences(argv[2]);
  if (limit > 0 && static_cast<size_t>(limit) < sentences.size())
    sentences.resize(static_cast<size_t>(limit));
  std::vector<finsent::models::TextInput> inputs;
  for (const auto& s : sentences) inputs.push_back({s, std::nullopt});

  finsent::train::AutocastBf16 autocast(bf16, options.device.type());
  // Warm-up on a slice of the data (allocator, kernels' first-call setup).
  classifier.logits({inputs.begin(), inputs.begin() + std::min<size_t>(inputs.size(), 64)}, true,
                    batch);
  const auto start = std::chrono::steady_clock::now();
  const torch::Tensor logits = classifier.logits(inputs, true, batch);
  const double seconds = finsent::bench::seconds_since(start);
  if (logits.size(0) != static_cast<int64_t>(inputs.size())) return 1;

  std::vector<double> latencies;
  const size_t n = std::min<size_t>(inputs.size(), static_cast<size_t>(latency_n));
  for (size_t i = 0; i < n; ++i) {
    const auto t = std::chrono::steady_clock::now();
    classifier.logits({inputs[i]}, true, 1);
    latencies.push_back(finsent::bench::seconds_since(t) * 1000);
  }
  std::sort(latencies.begin(), latencies.end());
  const double median =
      latencies.empty() ? 0
      : latencies.size() % 2
          ? latencies[latencies.size() / 2]
          : (latencies[latencies.size() / 2 - 1] + latencies[latencies.size() / 2]) / 2;
  finsent::bench::emit({{"sent_per_s", static_cast<double>(inputs.size()) / seconds},
                        {"seconds", seconds},
                        {"latency_ms", median},
                        {"sentences", inputs.size()},
                        {"threads", finsent::num_threads()},
                        {"bf16", bf16},
                        {"device", options.device.str()}});
  return 0;
} catch (const std::exception& e) {
  std::cerr << "inference_bench: " << e.what() << "\n";
  return 1;
}
