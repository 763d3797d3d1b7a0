// WordPiece (tokenizers::models::wordpiece) over the shared Vocab and greedy splitter.
#include "wordpiece_pipeline_model.hpp"

#include "../vocab.hpp"
#include "../wordpiece_model.hpp"
#include "json_fields.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

class WordPieceModel final : public Model {
 public:
  WordPieceModel(Vocab vocab, const std::string& unk, size_t max_chars)
      : vocab_(std::move(vocab)), unk_token_(unk), max_chars_(max_chars) {}
  void tokenize(std::string_view sequence, std::vector<Token>& out) const override {
    const auto unk = vocab_.find(unk_token_);
    if (!unk)
      throw TokenizerError("WordPiece unk_token " + unk_token_ + " is not in the vocabulary");
    thread_local std::vector<WordPiece> pieces;
    pieces.clear();
    wordpiece_split(sequence, vocab_, *unk, max_chars_, pieces);
    for (const auto& p : pieces) out.push_back({p.id, p.begin, p.end});
  }
  std::optional<int32_t> token_to_id(std::string_view token) const override {
    return vocab_.find(token);
  }
  const std::string* id_to_token(int32_t id) const override {
    if (id < 0 || static_cast<size_t>(id) >= vocab_.size() || vocab_.shadowed(id)) return nullptr;
    return &vocab_.token(id);
  }
  size_t vocab_size() const override { return vocab_.size(); }

 private:
  Vocab vocab_;
  std::string unk_token_;
  size_t max_chars_;
};

}  // namespace

std::unique_ptr<Model> make_wordpiece_pipeline_model(const json& j) {
  const json vocab = jf::require<json>(j, "vocab", "model");
  if (!vocab.is_object()) throw TokenizerError("tokenizer.json: model.vocab is not an object");
  std::vector<std::string> tokens;
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > 10'000'000) {
      throw TokenizerError("tokenizer.json: model.vocab[" + token + "] is not a valid id");
    }
    const auto i = static_cast<size_t>(id.get<int64_t>());
    if (i >= tokens.size()) tokens.resize(i + 1);
    tokens[i] = token;
  }
  return std::make_unique<WordPieceModel>(
      Vocab(std::move(tokens), jf::get<std::string>(j, "continuing_subword_prefix", "##", "model")),
      jf::get<std::string>(j, "unk_token", "[UNK]", "model"),
      jf::get<size_t>(j, "max_input_chars_per_word", 100, "model"));
}

}  // namespace finsent::text
