// convert_slow_tokenizer's SpmConverter family (XLM-R, ALBERT, DeBERTa-v2/v3) as tokenizer.json.
#include "sentencepiece_convert.hpp"

#include <openssl/evp.h>
#include <utf8proc.h>

#include <map>
#include <optional>

#include "finsent/core/error.hpp"
#include "utf8_decode.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;

enum class Family { XlmRoberta, Albert, DebertaV2 };

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Python's str.isdigit on one code point: Unicode decimal digits and the other digits
// (superscripts, circled and parenthesized digits...), i.e. Numeric_Type Decimal or Digit.
bool python_isdigit(char32_t cp) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  if (cat == UTF8PROC_CATEGORY_ND) return true;
  static const std::pair<char32_t, char32_t> kDigit[] = {
      {0xB2, 0xB3},       {0xB9, 0xB9},       {0x1369, 0x1371},   {0x19DA, 0x19DA},
      {0x2070, 0x2070},   {0x2074, 0x2079},   {0x2080, 0x2089},   {0x2460, 0x2468},
      {0x2474, 0x247C},   {0x2488, 0x2490},   {0x24EA, 0x24EA},   {0x24F5, 0x24FD},
      {0x24FF, 0x24FF},   {0x2776, 0x277E},   {0x2780, 0x2788},   {0x278A, 0x2792},
      {0x10A40, 0x10A43}, {0x10E60, 0x10E68}, {0x11052, 0x1105A}, {0x1F100, 0x1F10A}};
  for (const auto& [lo, hi] : kDigit) {
    if (cp >= lo && cp <= hi) return true;
  }
  return false;
}

// AlbertConverter's check_number_comma: false for a piece of 2+ characters ending in digit + ",".
bool check_number_comma(const std::string& piece) {
  std::vector<char32_t> cps;
  for (size_t i = 0; i < piece.size();) {
    char32_t cp;
    i += decode_utf8(piece, i, cp);
    cps.push_back(cp);
  }
  return cps.size() < 2 || cps.back() != U',' || !python_isdigit(cps[cps.size() - 2]);
}

json replace(const std::string& kind, const std::string& pattern, const std::string& content) {
  return {{"type", "Replace"}, {"pattern", {{kind, pattern}}}, {"content", content}};
}

json precompiled(const SentencePieceModel& m) {
  return {{"type", "Precompiled"}, {"precompiled_charsmap", base64(m.precompiled_charsmap)}};
}

json normalizer(Family family, const SentencePieceModel& m, const json& config) {
  const bool charsmap = !m.precompiled_charsmap.empty();
  json list = json::array();
  if (family == Family::XlmRoberta) {
    if (charsmap) list.push_back(precompiled(m));
    list.push_back({{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}});
    list.push_back(replace("Regex", " {2,}", "\u2581"));
  } else if (family == Family::Albert) {
    list.push_back(replace("String", "``", "\""));
    list.push_back(replace("String", "''", "\""));
    if (!config.value("keep_accents", false)) {
      list.push_back({{"type", "NFKD"}});
      list.push_back({{"type", "StripAccents"}});
    }
    if (config.value("do_lower_case", true)) list.push_back({{"type", "Lowercase"}});
    if (charsmap) list.push_back(precompiled(m));
    list.push_back(replace("Regex", " {2,}", " "));
  } else {
    if (config.value("do_lower_case", false)) list.push_back({{"type", "Lowercase"}});
    list.push_back({{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}});
    if (charsmap) list.push_back(precompiled(m));
    list.push_back(replace("Regex", " {2,}", " "));
  }
  return {{"type", "Sequence"}, {"normalizers", list}};
}

json metaspace(const json& config) {
  const bool add_prefix_space = config.value("add_prefix_space", true);
  return {{"type", "Metaspace"},
          {"replacement", "\u2581"},
          {"prepend_scheme", add_prefix_space ? "always" : "never"},
          {"split", true}};
}

json template_piece(const std::string& special, int type_id) {
  return {{"SpecialToken", {{"id", special}, {"type_id", type_id}}}};
}
json template_sequence(const char* id, int type_id) {
  return {{"Sequence", {{"id", id}, {"type_id", type_id}}}};
}

struct Vocab {
  std::vector<std::pair<std::string, double>> pieces;
  std::map<std::string, int64_t> ids;  // last id of each piece, as tokenizers
  int64_t id(const std::string& piece, const std::string& source) const {
    const auto it = ids.find(piece);
    if (it == ids.end()) {
      throw TokenizerError(source + ": the SentencePiece model has no \"" + piece + "\" piece");
    }
    return it->second;
  }
};

json post_processor(Family family, const Vocab& v, const std::string& source) {
  const bool roberta = family == Family::XlmRoberta;
  const std::string cls = roberta ? "<s>" : "[CLS]", sep = roberta ? "</s>" : "[SEP]";
  const int b_type = roberta ? 0 : 1;
  json single = {template_piece(cls, 0), template_sequence("A", 0), template_piece(sep, 0)};
  json pair = {template_piece(cls, 0), template_sequence("A", 0), template_piece(sep, 0)};
  if (roberta) pair.push_back(template_piece(sep, 0));
  pair.push_back(template_sequence("B", b_type));
  pair.push_back(template_piece(sep, b_type));
  json specials = json::object();
  for (const auto& t : {cls, sep}) {
    specials[t] = {{"id", t}, {"ids", {v.id(t, source)}}, {"tokens", {t}}};
  }
  return {{"type", "TemplateProcessing"},
          {"single", single},
          {"pair", pair},
          {"special_tokens", specials}};
}

Vocab vocab(Family family, const SentencePieceModel& m) {
  Vocab v;
  if (family == Family::XlmRoberta) {
    for (const char* s : {"<s>", "<pad>", "</s>", "<unk>"}) v.pieces.emplace_back(s, 0.0);
    for (size_t i = 3; i < m.pieces.size(); ++i) {
      v.pieces.emplace_back(m.pieces[i].piece, static_cast<double>(m.pieces[i].score));
    }
    v.pieces.emplace_back("<mask>", 0.0);
  } else {
    for (const auto& p : m.pieces) {
      const double score = static_cast<double>(p.score);
      const bool penalize = family == Family::Albert && !check_number_comma(p.piece);
      v.pieces.emplace_back(p.piece, penalize ? score - 100 : score);
    }
  }
  for (size_t i = 0; i < v.pieces.size(); ++i) v.ids[v.pieces[i].first] = static_cast<int64_t>(i);
  return v;
}

// The special-token names of tokenizer_config.json (a string or an AddedToken dict), with the
// mask token's lstrip default of the family.
struct HubToken {
  std::string content;
  bool lstrip = false, rstrip = false;
};

std::vector<HubToken> hub_tokens(Family family, const json& config) {
  const bool roberta = family == Family::XlmRoberta;
  const std::vector<std::pair<const char*, const char*>> roles = {
      {"bos_token", roberta ? "<s>" : "[CLS]"},
      {"eos_token", roberta ? "</s>" : "[SEP]"},
      {"unk_token", family == Family::DebertaV2 ? "[UNK]" : "<unk>"},
      {"sep_token", roberta ? "</s>" : "[SEP]"},
      {"pad_token", family == Family::DebertaV2 ? "[PAD]" : "<pad>"},
      {"cls_token", roberta ? "<s>" : "[CLS]"},
      {"mask_token", roberta ? "<mask>" : "[MASK]"}};
  std::vector<HubToken> out;
  for (const auto& [role, fallback] : roles) {
    HubToken t{fallback};
    t.lstrip = std::string(role) == "mask_token" && family != Family::DebertaV2;
    if (config.contains(role) && config[role].is_string()) t.content = config[role];
    if (config.contains(role) && config[role].is_object()) {
      t.content = config[role].value("content", t.content);
      t.lstrip = config[role].value("lstrip", t.lstrip);
      t.rstrip = config[role].value("rstrip", t.rstrip);
    }
    out.push_back(t);
  }
  return out;
}

json added_token(int64_t id, const std::string& content, bool special, bool lstrip, bool rstrip) {
  return {{"id", id},         {"content", content},  {"single_word", false}, {"lstrip", lstrip},
          {"rstrip", rstrip}, {"normalized", false}, {"special", special}};
}

json added_tokens(Family family, const SentencePieceModel& m, Vocab& v, const json& config) {
  std::map<int64_t, json> by_id;
  auto next_id = static_cast<int64_t>(v.pieces.size());
  for (size_t i = 0; i < m.pieces.size(); ++i) {
    const int type = m.pieces[i].type;
    if (type != SentencePieceModel::Control && type != SentencePieceModel::UserDefined) continue;
    const std::string& piece = m.pieces[i].piece;
    const int64_t id = v.ids.at(piece);
    by_id[id] = added_token(id, piece, type == SentencePieceModel::Control, false, false);
  }
  for (const HubToken& t : hub_tokens(family, config)) {
    auto it = v.ids.find(t.content);
    if (it == v.ids.end()) {
      it = v.ids.emplace(t.content, next_id++).first;
    }
    by_id[it->second] = added_token(it->second, t.content, true, t.lstrip, t.rstrip);
  }
  json out = json::array();
  for (auto& [id, token] : by_id) out.push_back(std::move(token));
  return out;
}

}  // namespace

nlohmann::json sentencepiece_tokenizer_json(const SentencePieceModel& model,
                                            const nlohmann::json& config,
                                            const std::string& source) {
  const std::string cls = config.value("tokenizer_class", std::string());
  std::optional<Family> family;
  if (cls == "XLMRobertaTokenizer" || cls == "XLMRobertaTokenizerFast") family = Family::XlmRoberta;
  if (cls == "AlbertTokenizer" || cls == "AlbertTokenizerFast") family = Family::Albert;
  if (cls == "DebertaV2Tokenizer" || cls == "DebertaV2TokenizerFast") family = Family::DebertaV2;
  if (!family) {
    throw TokenizerError(source + ": tokenizer_class \"" + cls +
                         "\" has no SentencePiece conversion in finsent (XLMRobertaTokenizer, "
                         "AlbertTokenizer, DebertaV2Tokenizer)");
  }
  if (model.model_type != SentencePieceModel::Unigram) {
    throw TokenizerError(source + ": only SentencePiece Unigram models are supported (model_type " +
                         std::to_string(model.model_type) + ")");
  }
  Vocab v = vocab(*family, model);
  json doc;
  doc["version"] = "1.0";
  doc["truncation"] = nullptr;
  doc["padding"] = nullptr;
  doc["added_tokens"] = added_tokens(*family, model, v, config);
  doc["normalizer"] = normalizer(*family, model, config);
  json pre = metaspace(config);
  if (*family == Family::DebertaV2) {
    json list = json::array();
    if (config.value("split_by_punct", false)) {
      list.push_back({{"type", "Punctuation"}, {"behavior", "Isolated"}});
    }
    list.push_back(pre);
    pre = {{"type", "Sequence"}, {"pretokenizers", list}};
  }
  doc["pre_tokenizer"] = pre;
  doc["post_processor"] = post_processor(*family, v, source);
  doc["decoder"] = metaspace(config);
  const int64_t unk = *family == Family::XlmRoberta ? 3 : model.unk_id;
  json pieces = json::array();
  for (const auto& [piece, score] : v.pieces) pieces.push_back({piece, score});
  doc["model"] = {
      {"type", "Unigram"}, {"unk_id", unk}, {"vocab", pieces}, {"byte_fallback", false}};
  return doc;
}

}  // namespace finsent::text
