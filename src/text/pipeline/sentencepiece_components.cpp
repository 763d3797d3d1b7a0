// Adapters from the standalone SentencePiece components (src/text/precompiled_charsmap,
// metaspace, unigram_model) to the pipeline's Normalizer / PreTokenizer / Decoder / Model.
#include "sentencepiece_components.hpp"

#include <string>
#include <utility>
#include <vector>

#include "../metaspace.hpp"
#include "../precompiled_charsmap.hpp"
#include "../unigram_model.hpp"
#include "../utf8_decode.hpp"
#include "finsent/core/error.hpp"
#include "json_fields.hpp"
#include "pattern.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;

class PrecompiledNormalizer final : public Normalizer {
 public:
  explicit PrecompiledNormalizer(PrecompiledCharsmap map) : map_(std::move(map)) {}
  void normalize(NormalizedString& s) const override {
    thread_local std::vector<PrecompiledCharsmap::Change> changes;
    if (!map_.transformations(s.chars(), changes)) return;
    std::vector<CharChange> out;
    out.reserve(changes.size());
    for (const auto& [c, change] : changes) out.push_back({c, static_cast<int>(change)});
    s.transform(out, 0);
  }

 private:
  PrecompiledCharsmap map_;
};

Metaspace read_metaspace(const json& j, const char* where) {
  Metaspace m;
  const std::string replacement = json_fields::get<std::string>(j, "replacement", "\u2581", where);
  char32_t cp = 0;
  if (replacement.empty() || decode_utf8(replacement, 0, cp) != replacement.size()) {
    throw TokenizerError(std::string("tokenizer.json: ") + where +
                         ".replacement must be one character");
  }
  m.replacement = cp;
  if (const auto scheme = json_fields::get_optional_string(j, "prepend_scheme", where)) {
    m.prepend_scheme = parse_prepend_scheme(*scheme);
  }
  if (!json_fields::get<bool>(j, "add_prefix_space", true, where)) {
    m.prepend_scheme = PrependScheme::Never;
  }
  m.split = json_fields::get<bool>(j, "split", true, where);
  return m;
}

std::string utf8(char32_t cp) {
  std::string s;
  append_utf8(s, cp);
  return s;
}

class MetaspacePreTokenizer final : public PreTokenizer {
 public:
  explicit MetaspacePreTokenizer(Metaspace m)
      : m_(m), replacement_(utf8(m.replacement)), space_(" "), marker_(replacement_) {}
  void pre_tokenize(PreTokenizedString& s) const override {
    s.split([&](size_t, NormalizedString&& n) {
      n.replace(space_, replacement_);
      const bool starts = n.get().compare(0, replacement_.size(), replacement_) == 0;
      if (!starts && (m_.prepend_scheme == PrependScheme::Always ||
                      (m_.prepend_scheme == PrependScheme::First && n.original_shift() == 0))) {
        n.prepend(replacement_);
      }
      if (m_.split) return n.split(marker_, SplitBehavior::MergedWithNext);
      std::vector<NormalizedString> one;
      one.push_back(std::move(n));
      return one;
    });
  }

 private:
  Metaspace m_;
  std::string replacement_;
  StringPattern space_, marker_;
};

class MetaspaceDecoder final : public Decoder {
 public:
  explicit MetaspaceDecoder(Metaspace m) : m_(m) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      tokens[i] = m_.decode_token(tokens[i], i == 0);
    }
  }

 private:
  Metaspace m_;
};

class UnigramPipelineModel final : public Model {
 public:
  explicit UnigramPipelineModel(UnigramModel m)
      : m_(std::move(m)), unk_(m_.options().unk_id.value_or(-1)) {}
  void tokenize(std::string_view sequence, std::vector<Token>& out) const override {
    thread_local std::vector<UnigramToken> pieces;
    m_.tokenize(sequence, pieces);
    for (const UnigramToken& p : pieces) {
      out.push_back({p.id, p.begin, p.end, !p.byte && p.id == unk_});
    }
  }
  std::optional<int32_t> token_to_id(std::string_view token) const override {
    return m_.token_to_id(token);
  }
  const std::string* id_to_token(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < m_.vocab_size() ? &m_.id_to_token(id) : nullptr;
  }
  size_t vocab_size() const override { return m_.vocab_size(); }

 private:
  UnigramModel m_;
  int32_t unk_;
};

}  // namespace

std::unique_ptr<Normalizer> make_precompiled(const json& j) {
  const auto text = json_fields::get_optional_string(j, "precompiled_charsmap", "Precompiled");
  return std::make_unique<PrecompiledNormalizer>(
      PrecompiledCharsmap::from_base64(text.value_or("")));
}

std::unique_ptr<PreTokenizer> make_metaspace_pre_tokenizer(const json& j) {
  return std::make_unique<MetaspacePreTokenizer>(read_metaspace(j, "pre_tokenizer"));
}

std::unique_ptr<Decoder> make_metaspace_decoder(const json& j) {
  return std::make_unique<MetaspaceDecoder>(read_metaspace(j, "decoder"));
}

std::unique_ptr<Model> make_unigram_model(const json& j) {
  if (!j.contains("vocab") || !j["vocab"].is_array()) {
    throw TokenizerError("tokenizer.json: the Unigram model has no vocab array");
  }
  std::vector<std::pair<std::string, double>> vocab;
  vocab.reserve(j["vocab"].size());
  for (const auto& p : j["vocab"]) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_number()) {
      throw TokenizerError("tokenizer.json: Unigram vocab entry " + std::to_string(vocab.size()) +
                           " is not [piece, score]");
    }
    vocab.emplace_back(p[0].get<std::string>(), p[1].get<double>());
  }
  UnigramModel::Options o;
  if (j.contains("unk_id") && !j["unk_id"].is_null()) {
    if (!j["unk_id"].is_number_integer()) {
      throw TokenizerError("tokenizer.json: model.unk_id is not an integer");
    }
    o.unk_id = j["unk_id"].get<int32_t>();
  }
  o.byte_fallback = json_fields::get<bool>(j, "byte_fallback", false, "model");
  return std::make_unique<UnigramPipelineModel>(UnigramModel(std::move(vocab), o));
}

}  // namespace finsent::text
