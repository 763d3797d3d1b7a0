// TextClassifier: length-sorted, dynamically padded batched inference over a SequenceClassifier.
#include "finsent/models/text_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "finsent/core/error.hpp"
#include "finsent/core/threads.hpp"

namespace finsent::models {
namespace {

// NaN or infinite logits (weights holding NaN, or overflowing) give no meaningful probabilities
// or argmax; every caller (predict, eval, lab, serve) turns logits into those, so they stop here.
void require_finite_logits(const torch::Tensor& logits) {
  const torch::Tensor bad_rows = logits.isfinite().logical_not().any(1);
  const int64_t bad = bad_rows.sum().item<int64_t>();
  if (bad == 0) return;
  const int64_t first = bad_rows.nonzero()[0][0].item<int64_t>();
  throw WeightsError("the model produced non-finite logits (NaN or infinity) for " +
                     std::to_string(bad) + " of " + std::to_string(logits.size(0)) +
                     " inputs (the first is input " + std::to_string(first) +
                     "): its weights are likely corrupt");
}

}  // namespace

TextClassifier TextClassifier::load(const std::filesystem::path& model_dir,
                                    const ClassifierOptions& options) {
  auto tokenizer = text::load_tokenizer(model_dir);
  SequenceClassifier model = load_sequence_classifier(model_dir, options);
  return TextClassifier(std::move(tokenizer), std::move(model));
}

TextClassifier::TextClassifier(std::shared_ptr<const text::Tokenizer> tokenizer,
                               SequenceClassifier model)
    : tokenizer_(std::move(tokenizer)),
      model_(std::move(model)),
      max_length_(max_sequence_length(model_->config())) {
  if (static_cast<int64_t>(tokenizer_->vocab_size()) > model_->config().vocab_size)
    throw ConfigError("the tokenizer's vocabulary (" + std::to_string(tokenizer_->vocab_size()) +
                      " tokens) is larger than the model's vocab_size (" +
                      std::to_string(model_->config().vocab_size) + ")");
}

torch::Tensor TextClassifier::logits(const std::vector<TextInput>& inputs, bool truncate,
                                     int64_t batch_size) {
  if (batch_size < 1) throw InputError("batch size must be at least 1");
  text::EncodeOptions options = tokenizer_->default_options();  // Transformers' sides
  if (truncate) options.max_length = static_cast<size_t>(max_length_);
  std::vector<text::Encoding> encodings(inputs.size());
  bool any_pair = false;
  for (const auto& in : inputs) any_pair = any_pair || in.pair.has_value();
  if (!any_pair) {
    std::vector<std::string> texts;
    texts.reserve(inputs.size());
    for (const auto& in : inputs) texts.push_back(in.text);
    encodings = tokenizer_->encode_batch(texts, options);
  } else {
    for (size_t i = 0; i < inputs.size(); ++i)
      encodings[i] = inputs[i].pair
                         ? tokenizer_->encode_pair(inputs[i].text, *inputs[i].pair, options)
                         : tokenizer_->encode(inputs[i].text, options);
  }
  for (size_t i = 0; i < encodings.size(); ++i)
    if (static_cast<int64_t>(encodings[i].ids.size()) > max_length_)
      throw InputError("input " + std::to_string(i) + " has " +
                       std::to_string(encodings[i].ids.size()) +
                       " tokens, more than the model's maximum of " + std::to_string(max_length_));

  // Similar lengths share a batch, so little compute goes to padding.
  std::vector<size_t> order(inputs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return encodings[a].ids.size() < encodings[b].ids.size();
  });

  const int64_t n = static_cast<int64_t>(inputs.size());
  torch::Tensor out = torch::empty({n, static_cast<int64_t>(labels().size())}, torch::kFloat);
  const int64_t pad = tokenizer_->pad_id();
  const torch::Device device = model_->device();
  c10::InferenceMode guard;
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t end = std::min(n, start + batch_size);
    int64_t seq = 0;
    for (int64_t r = start; r < end; ++r)
      seq = std::max<int64_t>(seq, encodings[order[r]].ids.size());
    torch::Tensor ids = torch::full({end - start, seq}, pad, torch::kLong);
    torch::Tensor mask = torch::zeros({end - start, seq}, torch::kLong);
    torch::Tensor types = torch::zeros({end - start, seq}, torch::kLong);
    auto ids_a = ids.accessor<int64_t, 2>();
    auto mask_a = mask.accessor<int64_t, 2>();
    auto types_a = types.accessor<int64_t, 2>();
    for (int64_t r = start; r < end; ++r) {
      const text::Encoding& e = encodings[order[r]];
      for (size_t j = 0; j < e.ids.size(); ++j) {
        ids_a[r - start][j] = e.ids[j];
        mask_a[r - start][j] = 1;
        types_a[r - start][j] = j < e.type_ids.size() ? e.type_ids[j] : 0;
      }
    }
    if (!device.is_cpu()) {
      ids = ids.to(device);
      mask = mask.to(device);
      types = types.to(device);
    }
    torch::Tensor batch_logits =
        model_->forward(ids, mask, any_pair ? types : torch::Tensor()).to(torch::kCPU);
    for (int64_t r = start; r < end; ++r)
      out[static_cast<int64_t>(order[r])].copy_(batch_logits[r - start]);
  }
  require_finite_logits(out);
  return out;
}

std::vector<Prediction> TextClassifier::predict(const std::vector<std::string>& texts,
                                                int64_t batch_size) {
  std::vector<TextInput> inputs;
  inputs.reserve(texts.size());
  for (const auto& t : texts) inputs.push_back({t, std::nullopt});
  torch::Tensor all = logits(inputs, true, batch_size).to(torch::kDouble);
  torch::Tensor probs = torch::softmax(all, 1);  // subtracts the row maximum: stable
  auto p = probs.accessor<double, 2>();
  std::vector<Prediction> out(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Prediction& pred = out[i];
    int64_t best = 0;
    for (int64_t k = 0; k < probs.size(1); ++k) {
      pred.probabilities.push_back(static_cast<float>(p[i][k]));
      if (p[i][k] > p[i][best]) best = k;
    }
    pred.label = labels()[best];
    pred.score = pred.probabilities[best];
  }
  return out;
}

}  // namespace finsent::models
