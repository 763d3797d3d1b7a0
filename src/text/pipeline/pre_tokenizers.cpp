// The splitting pre-tokenizers of tokenizers::pre_tokenizers over PreTokenizedString.
#include "pre_tokenizers.hpp"

#include <utf8proc.h>

#include "../bert_normalizer.hpp"
#include "json_fields.hpp"
#include "normalizers.hpp"
#include "pattern.hpp"
#include "registry.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

bool is_whitespace(char32_t c) {
  return is_unicode_whitespace(c);
}

// Rust char::is_numeric: general categories Nd, Nl, No.
bool is_numeric(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
}

// Splits every untokenized piece with one pattern and behavior.
class PatternSplit final : public PreTokenizer {
 public:
  PatternSplit(std::unique_ptr<Pattern> pattern, SplitBehavior behavior)
      : pattern_(std::move(pattern)), behavior_(behavior) {}
  void pre_tokenize(PreTokenizedString& s) const override {
    s.split([&](size_t, NormalizedString&& n) { return n.split(*pattern_, behavior_); });
  }

 private:
  std::unique_ptr<Pattern> pattern_;
  SplitBehavior behavior_;
};

class SequencePreTokenizer final : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> stages)
      : stages_(std::move(stages)) {}
  void pre_tokenize(PreTokenizedString& s) const override {
    for (const auto& p : stages_) p->pre_tokenize(s);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> stages_;
};

std::unique_ptr<PreTokenizer> split_on(bool (*pred)(char32_t), SplitBehavior behavior) {
  return std::make_unique<PatternSplit>(std::make_unique<CharPattern>(pred), behavior);
}

}  // namespace

SplitBehavior parse_split_behavior(const json& j, const std::string& where) {
  const std::string b = j.is_string() ? j.get<std::string>() : std::string();
  if (b == "Removed") return SplitBehavior::Removed;
  if (b == "Isolated") return SplitBehavior::Isolated;
  if (b == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (b == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (b == "Contiguous") return SplitBehavior::Contiguous;
  throw TokenizerError("tokenizer.json: " + where + ".behavior " + j.dump() +
                       " is not a split behavior");
}

std::unique_ptr<PreTokenizer> make_bert_pre_tokenizer(const json&) {
  std::vector<std::unique_ptr<PreTokenizer>> stages;
  stages.push_back(split_on(is_whitespace, SplitBehavior::Removed));
  stages.push_back(split_on(is_bert_punctuation, SplitBehavior::Isolated));
  return std::make_unique<SequencePreTokenizer>(std::move(stages));
}

std::unique_ptr<PreTokenizer> make_whitespace(const json&) {
  return std::make_unique<PatternSplit>(
      std::make_unique<InvertPattern>(std::make_unique<RegexPattern>(R"(\w+|[^\w\s]+)")),
      SplitBehavior::Removed);
}

std::unique_ptr<PreTokenizer> make_whitespace_split(const json&) {
  return split_on(is_whitespace, SplitBehavior::Removed);
}

std::unique_ptr<PreTokenizer> make_punctuation(const json& j) {
  const SplitBehavior behavior = j.contains("behavior")
                                     ? parse_split_behavior(j["behavior"], "pre_tokenizer")
                                     : SplitBehavior::Isolated;
  return split_on(is_bert_punctuation, behavior);
}

std::unique_ptr<PreTokenizer> make_digits(const json& j) {
  const bool individual = jf::get<bool>(j, "individual_digits", false, "pre_tokenizer");
  return split_on(is_numeric, individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
}

std::unique_ptr<PreTokenizer> make_split(const json& j) {
  auto pattern = make_pattern(jf::require<json>(j, "pattern", "pre_tokenizer"), "pre_tokenizer");
  if (jf::get<bool>(j, "invert", false, "pre_tokenizer")) {
    pattern = std::make_unique<InvertPattern>(std::move(pattern));
  }
  return std::make_unique<PatternSplit>(
      std::move(pattern),
      parse_split_behavior(jf::require<json>(j, "behavior", "pre_tokenizer"), "pre_tokenizer"));
}

std::unique_ptr<PreTokenizer> make_pre_tokenizer_sequence(const json& j) {
  const json list = jf::require<json>(j, "pretokenizers", "pre_tokenizer");
  if (!list.is_array())
    throw TokenizerError("tokenizer.json: pre_tokenizer.pretokenizers is not a list");
  std::vector<std::unique_ptr<PreTokenizer>> stages;
  for (const json& p : list) stages.push_back(make_pre_tokenizer(p));
  return std::make_unique<SequencePreTokenizer>(std::move(stages));
}

}  // namespace finsent::text
