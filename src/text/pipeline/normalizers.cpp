// The normalizers of tokenizers::normalizers over NormalizedString, with their JSON defaults.
#include "normalizers.hpp"

#include <utf8proc.h>

#include "../bert_normalizer.hpp"
#include "json_fields.hpp"
#include "pattern.hpp"
#include "registry.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

bool is_nonspacing_mark(char32_t c) {
  return c >= 0x300 && utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_MN;
}

// unicode_normalization's is_combining_mark: General_Category Mark (Mn, Mc and Me).
bool is_mark(char32_t c) {
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_MC ||
         category == UTF8PROC_CATEGORY_ME;
}

// tokenizers::normalizers::BertNormalizer (strip_accents null means "as lowercase").
class BertNormalizerStage final : public Normalizer {
 public:
  explicit BertNormalizerStage(const json& j)
      : clean_text_(jf::get<bool>(j, "clean_text", true, "normalizer")),
        chinese_(jf::get<bool>(j, "handle_chinese_chars", true, "normalizer")),
        lowercase_(jf::get<bool>(j, "lowercase", true, "normalizer")),
        strip_accents_(jf::get<bool>(j, "strip_accents", lowercase_, "normalizer")) {}
  void normalize(NormalizedString& s) const override {
    if (clean_text_) {
      s.filter([](char32_t c) { return !(c == 0 || c == 0xFFFD || is_control(c)); });
      s.map([](char32_t c) { return is_whitespace_for_clean(c) ? U' ' : c; });
    }
    if (chinese_) {
      std::vector<CharChange> out;
      for (char32_t c : s.chars()) {
        if (is_chinese_char(c)) {
          out.push_back({U' ', 0});
          out.push_back({c, 1});
          out.push_back({U' ', 1});
        } else {
          out.push_back({c, 0});
        }
      }
      s.transform(out, 0);
    }
    if (strip_accents_) {
      s.nfd();
      s.filter([](char32_t c) { return !is_nonspacing_mark(c); });
    }
    if (lowercase_) s.lowercase();
  }

 private:
  bool clean_text_, chinese_, lowercase_, strip_accents_;
};

class SequenceNormalizer final : public Normalizer {
 public:
  explicit SequenceNormalizer(const json& j) {
    const json list = jf::require<json>(j, "normalizers", "normalizer");
    if (!list.is_array())
      throw TokenizerError("tokenizer.json: normalizer.normalizers is not a list");
    for (const json& n : list) stages_.push_back(make_normalizer(n));
  }
  void normalize(NormalizedString& s) const override {
    for (const auto& n : stages_) n->normalize(s);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> stages_;
};

template <void (NormalizedString::*Op)()>
class Simple final : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override { (s.*Op)(); }
};

class StripNormalizer final : public Normalizer {
 public:
  explicit StripNormalizer(const json& j)
      : left_(jf::get<bool>(j, "strip_left", true, "normalizer")),
        right_(jf::get<bool>(j, "strip_right", true, "normalizer")) {}
  void normalize(NormalizedString& s) const override { s.strip(left_, right_); }

 private:
  bool left_, right_;
};

// tokenizers::normalizers::StripAccents drops every mark (Mn, Mc, Me: Devanagari's vowel signs
// too), unlike BertNormalizer's strip_accents, which drops only nonspacing marks (Mn).
class StripAccents final : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override {
    s.filter([](char32_t c) { return !is_mark(c); });
  }
};

class ReplaceNormalizer final : public Normalizer {
 public:
  explicit ReplaceNormalizer(const json& j)
      : pattern_(make_pattern(jf::require<json>(j, "pattern", "normalizer"), "normalizer")),
        content_(jf::require<std::string>(j, "content", "normalizer")) {}
  void normalize(NormalizedString& s) const override { s.replace(*pattern_, content_); }

 private:
  std::unique_ptr<Pattern> pattern_;
  std::string content_;
};

class PrependNormalizer final : public Normalizer {
 public:
  explicit PrependNormalizer(const json& j)
      : prepend_(jf::require<std::string>(j, "prepend", "normalizer")) {}
  void normalize(NormalizedString& s) const override { s.prepend(prepend_); }

 private:
  std::string prepend_;
};

}  // namespace

std::unique_ptr<Pattern> make_pattern(const json& j, const std::string& where) {
  if (j.is_object() && j.contains("String") && j["String"].is_string()) {
    return std::make_unique<StringPattern>(j["String"].get<std::string>());
  }
  if (j.is_object() && j.contains("Regex") && j["Regex"].is_string()) {
    return std::make_unique<RegexPattern>(j["Regex"].get<std::string>());
  }
  throw TokenizerError("tokenizer.json: " + where + ".pattern is neither String nor Regex");
}

std::unique_ptr<Normalizer> make_bert_normalizer(const json& j) {
  return std::make_unique<BertNormalizerStage>(j);
}
std::unique_ptr<Normalizer> make_normalizer_sequence(const json& j) {
  return std::make_unique<SequenceNormalizer>(j);
}
std::unique_ptr<Normalizer> make_nfc(const json&) {
  return std::make_unique<Simple<&NormalizedString::nfc>>();
}
std::unique_ptr<Normalizer> make_nfd(const json&) {
  return std::make_unique<Simple<&NormalizedString::nfd>>();
}
std::unique_ptr<Normalizer> make_nfkc(const json&) {
  return std::make_unique<Simple<&NormalizedString::nfkc>>();
}
std::unique_ptr<Normalizer> make_nfkd(const json&) {
  return std::make_unique<Simple<&NormalizedString::nfkd>>();
}
std::unique_ptr<Normalizer> make_lowercase(const json&) {
  return std::make_unique<Simple<&NormalizedString::lowercase>>();
}
std::unique_ptr<Normalizer> make_strip(const json& j) {
  return std::make_unique<StripNormalizer>(j);
}
std::unique_ptr<Normalizer> make_strip_accents(const json&) {
  return std::make_unique<StripAccents>();
}
std::unique_ptr<Normalizer> make_replace(const json& j) {
  return std::make_unique<ReplaceNormalizer>(j);
}
std::unique_ptr<Normalizer> make_prepend(const json& j) {
  return std::make_unique<PrependNormalizer>(j);
}

}  // namespace finsent::text
