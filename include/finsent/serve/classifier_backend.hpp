// The narrow view of a text classifier the server and `finsent predict` need (torch-free).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace finsent::serve {

// One model input: a text, or a sentence pair (text, pair) encoded as [CLS] a [SEP] b [SEP].
struct SequenceInput {
  std::string text;
  std::optional<std::string> pair;
};

// A loaded classifier. Implementations must allow concurrent calls of the const accessors;
// logits() is only ever called from one thread at a time by the server's batcher.
class ClassifierBackend {
 public:
  virtual ~ClassifierBackend() = default;

  // Class names, in logit order (config.json id2label).
  virtual const std::vector<std::string>& labels() const = 0;
  // Longest input, in tokens with the special tokens, the model accepts.
  virtual size_t max_input_length() const = 0;
  // Tokens (special tokens included) the input encodes to without truncation.
  virtual size_t count_tokens(const SequenceInput& input) const = 0;
  // Logits [inputs.size()][labels().size()], in input order. With truncate, inputs longer than
  // max_input_length() are cut; without it they throw finsent::InputError.
  virtual std::vector<std::vector<float>> logits(const std::vector<SequenceInput>& inputs,
                                                 bool truncate) = 0;
  // Name shown by /info (the model directory or hub id).
  virtual std::string model_id() const = 0;
  // Weight dtype shown by /info, e.g. "float32".
  virtual std::string dtype() const = 0;
};

}  // namespace finsent::serve
