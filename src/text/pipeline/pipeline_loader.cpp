// tokenizer.json / vocab.json + merges.txt to a PipelineTokenizer.
#include "pipeline_loader.hpp"

#include <fstream>
#include <sstream>

#include "../encode_settings.hpp"
#include "../read_file.hpp"
#include "finsent/core/error.hpp"
#include "json_fields.hpp"
#include "pipeline_tokenizer.hpp"
#include "registry.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace jf = json_fields;
using detail::read_file;

std::unique_ptr<Normalizer> optional_normalizer(const json& doc) {
  return doc.contains("normalizer") && !doc["normalizer"].is_null()
             ? make_normalizer(doc["normalizer"])
             : nullptr;
}

std::vector<AddedTokenSpec> parse_added_tokens(const json& doc) {
  std::vector<AddedTokenSpec> out;
  const json list = jf::get<json>(doc, "added_tokens", json::array(), "tokenizer");
  if (!list.is_array()) throw TokenizerError("tokenizer.json: added_tokens is not a list");
  for (const json& t : list) {
    AddedTokenSpec s;
    s.content = jf::require<std::string>(t, "content", "added_tokens[]");
    const auto id = jf::require<int64_t>(t, "id", "added_tokens[]");
    if (id < 0 || id > INT32_MAX)
      throw TokenizerError("tokenizer.json: added token " + s.content + " has an invalid id");
    s.id = static_cast<int32_t>(id);
    s.special = jf::get<bool>(t, "special", false, "added_tokens[]");
    s.lstrip = jf::get<bool>(t, "lstrip", false, "added_tokens[]");
    s.rstrip = jf::get<bool>(t, "rstrip", false, "added_tokens[]");
    s.single_word = jf::get<bool>(t, "single_word", false, "added_tokens[]");
    s.normalized = jf::get<bool>(t, "normalized", !s.special, "added_tokens[]");
    out.push_back(std::move(s));
  }
  return out;
}

// A special token in tokenizer_config.json: a string or an AddedToken object.
std::optional<std::string> config_token(const json* config, const char* key) {
  if (!config || !config->contains(key) || (*config)[key].is_null()) return std::nullopt;
  const json& v = (*config)[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v["content"].is_string())
    return v["content"].get<std::string>();
  throw TokenizerError(std::string("tokenizer_config.json: ") + key + " is not a token");
}

// Ids by role: tokenizer_config.json's names when given, else the conventional names of BERT,
// RoBERTa and GPT-2 vocabularies.
SpecialTokenIds resolve_specials(const Tokenizer& t, const json* config, const json& doc) {
  const auto id_of = [&](const char* key,
                         std::initializer_list<const char*> fallbacks) -> std::optional<int64_t> {
    if (auto name = config_token(config, key)) return t.token_to_id(*name);
    for (const char* f : fallbacks) {
      if (auto id = t.token_to_id(f)) return id;
    }
    return std::nullopt;
  };
  SpecialTokenIds s;
  s.cls = id_of("cls_token", {"[CLS]", "<s>"});
  s.sep = id_of("sep_token", {"[SEP]", "</s>"});
  s.unk = id_of("unk_token", {"[UNK]", "<unk>", "<|endoftext|>"});
  s.mask = id_of("mask_token", {"[MASK]", "<mask>"});
  s.bos = id_of("bos_token", {"<s>", "<|endoftext|>"});
  s.eos = id_of("eos_token", {"</s>", "<|endoftext|>"});
  s.pad = id_of("pad_token", {"[PAD]", "<pad>"});
  if (!config_token(config, "pad_token")) {
    const json padding = doc.value("padding", json());
    if (padding.is_object() && padding.contains("pad_id") &&
        padding["pad_id"].is_number_integer()) {
      s.pad = padding["pad_id"].get<int64_t>();
    }
  }
  return s;
}

}  // namespace

std::shared_ptr<const Tokenizer> load_pipeline_tokenizer(const json& doc, const json* config,
                                                         const std::string& source) {
  try {
    if (!doc.is_object()) throw TokenizerError("tokenizer.json is not an object");
    Pipeline p;
    p.normalizer = optional_normalizer(doc);
    if (doc.contains("pre_tokenizer") && !doc["pre_tokenizer"].is_null()) {
      p.pre_tokenizer = make_pre_tokenizer(doc["pre_tokenizer"]);
    }
    p.model = make_model(jf::require<json>(doc, "model", "tokenizer"));
    if (doc.contains("post_processor") && !doc["post_processor"].is_null()) {
      p.post_processor = make_post_processor(doc["post_processor"]);
    }
    if (doc.contains("decoder") && !doc["decoder"].is_null())
      p.decoder = make_decoder(doc["decoder"]);
    p.added = AddedVocabulary(parse_added_tokens(doc), p.normalizer.get());
    if (config && config->contains("model_max_length") &&
        (*config)["model_max_length"].is_number_unsigned()) {
      const auto m = (*config)["model_max_length"].get<uint64_t>();
      if (m <= 1'000'000) p.model_max_length = static_cast<size_t>(m);  // HF writes 1e30 for "none"
    }
    p.encode_settings = parse_encode_settings(doc, config);
    p.tokenizer_json = doc;
    p.tokenizer_config = config ? *config : json::object();
    auto t = std::make_shared<PipelineTokenizer>(std::move(p));
    // Roles need token_to_id, so they are resolved on the built tokenizer.
    t->set_special_ids(resolve_specials(*t, config, doc));
    return t;
  } catch (const nlohmann::json::exception& e) {
    throw TokenizerError(source + ": " + e.what());
  } catch (const TokenizerError& e) {
    throw TokenizerError(source + ": " + e.what());
  }
}

json tokenizer_json_from_vocab_merges(const fs::path& vocab_json, const fs::path& merges_txt,
                                      const json& config) {
  const std::string cls = config.value("tokenizer_class", std::string());
  const bool roberta =
      cls.rfind("Roberta", 0) == 0 || cls.rfind("Bart", 0) == 0 || cls.rfind("Longformer", 0) == 0;
  const bool gpt2 = cls.rfind("GPT2", 0) == 0;
  if (!roberta && !gpt2) {
    throw TokenizerError(
        vocab_json.parent_path().string() + ": tokenizer_class " +
        (cls.empty() ? std::string("(none)") : cls) +
        " is not one finsent can build from vocab.json + merges.txt (GPT2Tokenizer, "
        "RobertaTokenizer, BartTokenizer, LongformerTokenizer)");
  }
  json vocab;
  try {
    vocab = json::parse(read_file(vocab_json));
  } catch (const json::exception& e) {
    throw TokenizerError(vocab_json.string() + ": invalid JSON: " + e.what());
  }
  // The slow tokenizers' reading: split on "\n", drop the first line (#version) and the last.
  const std::string text = read_file(merges_txt);
  std::vector<std::string> lines;
  size_t pos = 0;
  while (true) {
    const size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  json merges = json::array();
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    std::istringstream parts(lines[i]);
    std::string a, b, extra;
    parts >> a >> b;
    if (a.empty() || b.empty() || (parts >> extra)) {
      throw TokenizerError(merges_txt.string() + ":" + std::to_string(i + 1) +
                           ": not a merge \"a b\"");
    }
    merges.push_back(json::array({a, b}));
  }
  const bool prefix_space = config.value("add_prefix_space", false);
  json doc = {
      {"version", "1.0"}, {"truncation", nullptr}, {"padding", nullptr}, {"normalizer", nullptr}};
  doc["pre_tokenizer"] = {{"type", "ByteLevel"},
                          {"add_prefix_space", prefix_space},
                          {"trim_offsets", true},
                          {"use_regex", true}};
  doc["decoder"] = {{"type", "ByteLevel"},
                    {"add_prefix_space", true},
                    {"trim_offsets", true},
                    {"use_regex", true}};
  doc["model"] = {{"type", "BPE"},
                  {"dropout", nullptr},
                  {"unk_token", nullptr},
                  {"continuing_subword_prefix", ""},
                  {"end_of_word_suffix", ""},
                  {"fuse_unk", false},
                  {"byte_fallback", false},
                  {"ignore_merges", false},
                  {"vocab", vocab},
                  {"merges", merges}};
  const auto name = [&](const char* key, const char* fallback) {
    return config_token(&config, key).value_or(fallback);
  };
  const auto id = [&](const std::string& token) -> json {
    if (!vocab.contains(token))
      throw TokenizerError(vocab_json.string() + ": the special token " + token +
                           " is not in the vocabulary");
    return vocab[token];
  };
  json added = json::array();
  const auto add = [&](const std::string& token, bool lstrip) {
    if (!vocab.contains(token)) return;
    for (const auto& a : added) {
      if (a["content"] == token) return;
    }
    added.push_back({{"id", vocab[token]},
                     {"content", token},
                     {"single_word", false},
                     {"lstrip", lstrip},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  };
  if (roberta) {
    const std::string c = name("cls_token", "<s>"), s = name("sep_token", "</s>");
    doc["post_processor"] = {{"type", "RobertaProcessing"},
                             {"sep", {s, id(s)}},
                             {"cls", {c, id(c)}},
                             {"trim_offsets", true},
                             {"add_prefix_space", prefix_space}};
    add(name("bos_token", "<s>"), false);
    add(name("pad_token", "<pad>"), false);
    add(name("eos_token", "</s>"), false);
    add(name("unk_token", "<unk>"), false);
    // Transformers 5 registers a plain "<mask>" string without lstrip; an AddedToken object in
    // tokenizer_config.json says otherwise.
    const json mask = config.value("mask_token", json());
    add(name("mask_token", "<mask>"), mask.is_object() && mask.value("lstrip", false));
  } else {
    doc["post_processor"] = {{"type", "ByteLevel"},
                             {"add_prefix_space", true},
                             {"trim_offsets", false},
                             {"use_regex", true}};
    if (config.value("add_bos_token", false)) {
      const std::string bos = name("bos_token", "<|endoftext|>");
      doc["post_processor"] = {
          {"type", "TemplateProcessing"},
          {"single", json::array({{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}},
                                  {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
          {"pair", json::array({{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}},
                                {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}})},
          {"special_tokens", {{bos, {{"id", bos}, {"ids", {id(bos)}}, {"tokens", {bos}}}}}}};
    }
    add(name("unk_token", "<|endoftext|>"), false);
    add(name("bos_token", "<|endoftext|>"), false);
    add(name("eos_token", "<|endoftext|>"), false);
  }
  doc["added_tokens"] = added;
  return doc;
}

}  // namespace finsent::text
