// Writing a SequenceClassifier as a Hugging Face model directory (config.json, model.safetensors,
// tokenizer).
#include <algorithm>
#include <cstring>
#include <memory>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/io/safetensors.hpp"
#include "finsent/models/registry.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "linear_head_folding.hpp"

namespace finsent::models {

std::vector<std::pair<std::string, torch::Tensor>> export_state(SequenceClassifierImpl& model) {
  std::map<std::string, torch::Tensor> state;
  {
    torch::NoGradGuard no_grad;
    for (const auto& item : model.named_parameters(true))
      state[item.key()] = item.value().detach().to(torch::kCPU, torch::kFloat).contiguous().clone();
  }
  if (model.head()->input_mean().defined()) {
    // Stored as the ordinary head computing the same logits on raw features.
    torch::nn::Linear& proj = model.head()->input_projection();
    auto [weight, bias] = folded_input_projection(*model.head());
    for (const auto& item : model.named_parameters(true)) {
      if (item.value().is_same(proj->weight)) state[item.key()] = weight.to(torch::kCPU);
      if (item.value().is_same(proj->bias)) state[item.key()] = bias.to(torch::kCPU);
    }
  }
  if (model.head_name() == kLinearHead) detail::fold_linear_head(model, state);
  return {state.begin(), state.end()};
}

nlohmann::json export_config(const SequenceClassifierImpl& model) {
  const ModelFamily& family = model_family(model.config().model_type);
  ModelConfig config = model.config();
  config.architectures = {family.names(config.model_type).classifier_architecture};
  nlohmann::json doc = config.to_json();
  doc.erase(detail::kFinsentHeadKey);
  if (model.head_name() == kLinearHead || model.head_name() == kMeanHead)
    doc[detail::kFinsentHeadKey] = model.head_name();
  // Weights are written as float32 whatever the checkpoint held.
  for (const char* key : {"torch_dtype", "dtype"})
    if (doc.contains(key)) doc[key] = "float32";
  return doc;
}

void save_pretrained(SequenceClassifierImpl& model, const text::Tokenizer& tokenizer,
                     const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create directory: " + ec.message());

  const auto state = export_state(model);
  std::vector<io::TensorToWrite> tensors;
  tensors.reserve(state.size());
  for (const auto& [name, t] : state) {
    io::TensorToWrite w{
        name, io::DType::F32, t.sizes().vec(),
        std::span<const std::byte>(static_cast<const std::byte*>(t.data_ptr()), t.nbytes())};
    tensors.push_back(std::move(w));
  }
  // All files are written and synced before any is renamed into place, so a full disk leaves the
  // directory as it was (never a new model.safetensors beside an old config.json).
  std::vector<std::unique_ptr<io::AtomicFile>> files;
  auto add = [&](const std::string& name) -> std::ostream& {
    files.push_back(std::make_unique<io::AtomicFile>(dir / name));
    return files.back()->stream();
  };
  // Transformers refuses safetensors files whose metadata lacks format "pt".
  io::write_safetensors(add("model.safetensors"), tensors, {{"format", "pt"}});
  add("config.json") << export_config(model).dump(2) << "\n";
  const auto tokenizer_files = tokenizer.files();
  for (const auto& [name, text] : tokenizer_files) add(name) << text;
  std::vector<io::AtomicFile*> all;
  for (auto& f : files) all.push_back(f.get());
  io::commit_all(all);
  // A tokenizer.json left from another tokenizer would take precedence over the files written now.
  if (std::none_of(tokenizer_files.begin(), tokenizer_files.end(),
                   [](const auto& f) { return f.first == "tokenizer.json"; }))
    std::filesystem::remove(dir / "tokenizer.json", ec);
}

}  // namespace finsent::models
