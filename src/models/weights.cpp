// Name-for-name weight loading with Transformers' prefix and legacy-name rules, and strict
// reporting.
#include "finsent/models/weights.hpp"

#include <cstring>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/io/checkpoint.hpp"
#include "finsent/io/safetensors.hpp"

namespace finsent::models {
namespace {

bool starts_with_any(const std::string& s, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes)
    if (s.rfind(p, 0) == 0) return true;
  return false;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_string(c10::IntArrayRef shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string join_names(const std::vector<std::string>& names, size_t limit = 8) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

torch::ScalarType torch_dtype(io::DType d, const std::string& name, const std::string& origin) {
  switch (d) {
    case io::DType::F32:
      return torch::kFloat;
    case io::DType::F16:
      return torch::kHalf;
    case io::DType::BF16:
      return torch::kBFloat16;
    case io::DType::F64:
      return torch::kDouble;
    case io::DType::I64:
      return torch::kLong;
    case io::DType::I32:
      return torch::kInt;
    case io::DType::I16:
      return torch::kShort;
    case io::DType::I8:
      return torch::kChar;
    case io::DType::U8:
      return torch::kByte;
    case io::DType::BOOL:
      return torch::kBool;
    default:
      break;
  }
  throw WeightsError(origin + ": tensor " + name + " has dtype " + std::string(io::dtype_name(d)) +
                     ", which finsent cannot load");
}

// Any checkpoint io::CheckpointReader opens; tensors copied out on demand.
class ReaderSource : public TensorSource {
 public:
  explicit ReaderSource(io::CheckpointReader reader) : reader_(std::move(reader)) {
    origin_ = reader_.files().size() == 1 ? reader_.files()[0].string()
                                          : reader_.files()[0].parent_path().string() + " (" +
                                                std::to_string(reader_.files().size()) + " shards)";
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& t : reader_.tensors()) out.push_back(t.name);
    return out;
  }
  torch::Tensor get(const std::string& name) const override {
    const io::CheckpointTensor* info = reader_.find(name);
    torch::Tensor t = torch::empty(info->shape, torch::TensorOptions().dtype(torch_dtype(
                                                    info->dtype, name, info->file.string())));
    std::span<const std::byte> bytes = reader_.data(*info);
    if (!bytes.empty())
      std::memcpy(t.data_ptr(), bytes.data(), bytes.size());  // files need not be aligned
    return t;
  }
  std::vector<int64_t> shape(const std::string& name) const override {
    return reader_.find(name)->shape;
  }
  std::string origin() const override { return origin_; }

 private:
  io::CheckpointReader reader_;
  std::string origin_;
};

class MemorySource : public TensorSource {
 public:
  MemorySource(std::map<std::string, torch::Tensor> tensors, std::string origin)
      : tensors_(std::move(tensors)), origin_(std::move(origin)) {}
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& [name, _] : tensors_) out.push_back(name);
    return out;
  }
  torch::Tensor get(const std::string& name) const override { return tensors_.at(name); }
  std::vector<int64_t> shape(const std::string& name) const override {
    return tensors_.at(name).sizes().vec();
  }
  std::string origin() const override { return origin_; }

 private:
  std::map<std::string, torch::Tensor> tensors_;
  std::string origin_;
};

}  // namespace

std::string LoadReport::summary(const std::string& checkpoint,
                                const std::string& architecture) const {
  std::ostringstream out;
  if (!unexpected.empty())
    out << "Some weights of the model checkpoint at " << checkpoint
        << " were not used when initializing " << architecture << ": [" << join_names(unexpected)
        << "]\n";
  if (!newly_initialized.empty())
    out << "Some weights of " << architecture
        << " were not initialized from the model checkpoint at " << checkpoint
        << " and are newly initialized: [" << join_names(newly_initialized)
        << "]\nYou should probably TRAIN this model on a down-stream task to be able to use it for "
           "predictions and "
           "inference.\n";
  if (!mismatched.empty())
    out << "Some weights of " << architecture
        << " were not initialized from the model checkpoint at " << checkpoint
        << " and are newly initialized because the shapes did not match: ["
        << join_names(mismatched) << "]\n";
  return out.str();
}

std::unique_ptr<TensorSource> open_checkpoint(const std::filesystem::path& dir) {
  return std::make_unique<ReaderSource>(io::CheckpointReader::open(dir));
}

std::unique_ptr<TensorSource> memory_source(std::map<std::string, torch::Tensor> tensors,
                                            std::string origin) {
  return std::make_unique<MemorySource>(std::move(tensors), std::move(origin));
}

LoadReport load_weights(torch::nn::Module& model, const TensorSource& source,
                        const WeightRules& rules) {
  // Checkpoint name -> model name.
  std::vector<std::string> names = source.names();
  const std::string prefix_dot = rules.prefix.empty() ? "" : rules.prefix + ".";
  bool prefixed = prefix_dot.empty();
  for (const auto& n : names) prefixed = prefixed || n.rfind(prefix_dot, 0) == 0;

  torch::OrderedDict<std::string, torch::Tensor> targets = model.named_parameters(true);
  for (const auto& item : model.named_buffers(true)) targets.insert(item.key(), item.value());

  LoadReport report;
  std::set<std::string> loaded;
  std::vector<std::string> bad_shapes;
  torch::NoGradGuard no_grad;
  for (const auto& ckpt_name : names) {
    std::string name = ckpt_name;
    bool ignored = false;
    for (const auto& suffix : rules.ignored_suffixes) ignored = ignored || ends_with(name, suffix);
    if (ignored) continue;
    if (ends_with(name, ".gamma"))
      name = name.substr(0, name.size() - 6) + ".weight";
    else if (ends_with(name, ".beta"))
      name = name.substr(0, name.size() - 5) + ".bias";
    if (!prefixed) name = prefix_dot + name;
    torch::Tensor* target = targets.find(name);
    if (target == nullptr) {
      report.unexpected.push_back(ckpt_name);
      continue;
    }
    torch::Tensor value = source.get(ckpt_name);
    if (value.sizes() != target->sizes()) {
      std::string what = name + ": checkpoint " + shape_string(value.sizes()) + " vs model " +
                         shape_string(target->sizes());
      (starts_with_any(name, rules.reinit_on_mismatch) ? report.mismatched : bad_shapes)
          .push_back(what);
      continue;
    }
    if (!value.is_floating_point() && target->is_floating_point())
      throw WeightsError(source.origin() + ": tensor " + ckpt_name +
                         " holds integers where the model expects floats");
    target->copy_(value);
    loaded.insert(name);
  }
  std::vector<std::string> missing;
  for (const auto& item : targets) {
    if (loaded.count(item.key())) continue;
    bool reported_mismatch = false;
    for (const auto& m : report.mismatched)
      reported_mismatch = reported_mismatch || m.rfind(item.key() + ":", 0) == 0;
    if (reported_mismatch) continue;
    (starts_with_any(item.key(), rules.optional_prefixes) ? report.newly_initialized : missing)
        .push_back(item.key());
  }
  if (!bad_shapes.empty())
    throw WeightsError(source.origin() +
                       ": weights with the wrong shape for this config: " + join_names(bad_shapes));
  if (!missing.empty())
    throw WeightsError(
        source.origin() + ": weights missing from the checkpoint: " + join_names(missing) +
        (loaded.empty() ? " (no weight name matched: is this checkpoint for model_type \"" +
                              rules.prefix + "\"?)"
                        : ""));
  return report;
}

}  // namespace finsent::models
