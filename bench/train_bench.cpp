// Training time of finsent's trainer on a JSONL split: frozen (feature cache) or unfrozen encoder.
// Usage: train_bench MODEL_DIR TRAIN_JSONL OUT_DIR --epochs N [--batch-size 16] [--lr X]
//        [--freeze-encoder] [--max-length 128] [--threads N] [--bf16]
//        [--device cpu|cuda|cuda:N|auto]
// Prints {"train_seconds", "epoch_seconds", "wall_seconds", "steps", "tokens", "n_train"}:
// train_seconds is the trainer's own clock (per-epoch checkpoints included), wall_seconds the whole
// call (model load and final save included). --device (default cpu) is resolved as finsent's
// --device is (pipeline::resolve_device: CUDA's half of LibTorch loaded at run time); --bf16 is
// autocast on that device.
#include <torch/torch.h>

#include <filesystem>
#include <set>

#include "bench_io.hpp"
#include "finsent/core/threads.hpp"
#include "finsent/models/registry.hpp"
#include "finsent/pipeline/device.hpp"
#include "finsent/text/tokenizer.hpp"
#include "finsent/train/trainer.hpp"

int main(int argc, char** argv) try {
  if (argc < 4) {
    std::cerr << "usage: train_bench MODEL_DIR TRAIN_JSONL OUT_DIR --epochs N [options]\n";
    return 2;
  }
  finsent::train::TrainOptions o;
  o.model_dir = argv[1];
  o.out_dir = argv[3];
  o.weight_decay = 0.0;
  int threads = 0;
  std::string device = "cpu";
  for (int i = 4; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--freeze-encoder")
      o.freeze_encoder = true;
    else if (a == "--bf16")
      o.bf16 = true;
    else if (a == "--epochs" && i + 1 < argc)
      o.epochs = std::atoll(argv[++i]);
    else if (a == "--batch-size" && i + 1 < argc)
      o.batch_size = std::atoll(argv[++i]);
    else if (a == "--lr" && i + 1 < argc)
      o.learning_rate = std::atof(argv[++i]);
    else if (a == "--max-length" && i + 1 < argc)
      o.max_length = std::atoll(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--device" && i + 1 < argc)
      device = argv[++i];
  }
  o.device = finsent::pipeline::resolve_device(device);
  // The family's Transformers head (BertForSequenceClassification's for MiniLM), as Trainer's
  // reference run has, whatever pooling a sentence-transformers directory would pick.
  o.head = finsent::models::model_family(finsent::models::ModelConfig::load(o.model_dir).model_type)
               .head.name;
  finsent::set_num_threads(threads);
  at::set_num_threads(finsent::num_threads());
  const auto rows = finsent::bench::read_jsonl(argv[2]);
  std::set<std::string> label_set;
  for (const auto& r : rows) label_set.insert(r.second);
  const std::vector<std::string> labels(label_set.begin(), label_set.end());
  finsent::train::LabeledTexts train;
  for (const auto& [text, label] : rows) {
    train.texts.push_back(text);
    train.labels.push_back(
        static_cast<int>(std::distance(label_set.begin(), label_set.find(label))));
  }
  // Unpadded tokens per epoch (special tokens included, truncated), for the FLOP count.
  const auto tokenizer_ptr = finsent::text::load_tokenizer(o.model_dir);
  const finsent::text::Tokenizer& tokenizer = *tokenizer_ptr;
  int64_t tokens = 0;
  for (const auto& t : train.texts) {
    tokens += std::min<int64_t>(static_cast<int64_t>(tokenizer.encode(t).ids.size()), o.max_length);
  }
  std::filesystem::remove_all(o.out_dir);
  const auto start = std::chrono::steady_clock::now();
  const auto result = finsent::train::train_classifier(o, labels, train, {});
  const double wall = finsent::bench::seconds_since(start);
  std::filesystem::remove_all(o.out_dir);
  finsent::bench::emit(
      {{"train_seconds", result.state.train_seconds},
       {"epoch_seconds", result.state.train_seconds / static_cast<double>(o.epochs)},
       {"wall_seconds", wall},
       {"steps", result.state.global_step},
       {"tokens", tokens},
       {"n_train", train.texts.size()},
       {"threads", finsent::num_threads()},
       {"device", o.device.str()},
       {"bf16", o.bf16}});
  return 0;
} catch (const std::exception& e) {
  std::cerr << "train_bench: " << e.what() << "\n";
  return 1;
}
