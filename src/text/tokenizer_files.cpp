// Loading a tokenizer from vocab.txt / tokenizer.json / a model directory, and saving one.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "bert_normalizer.hpp"
#include "encode_settings.hpp"
#include "finsent/core/error.hpp"
#include "finsent/text/wordpiece_tokenizer.hpp"
#include "read_file.hpp"
#include "utf8_decode.hpp"
#include "wordpiece_tokenizer_impl.hpp"

namespace finsent::text {
namespace {

using detail::read_file;
namespace fs = std::filesystem;
using nlohmann::json;

json parse_json(const fs::path& path) {
  try {
    return json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw TokenizerError(path.string() + ": invalid JSON: " + e.what());
  }
}

// Rust str::trim_end: drops trailing White_Space characters (so "\r" of CRLF files goes too).
std::string trim_end(std::string_view line) {
  size_t end = line.size();
  while (end > 0) {
    size_t start;
    if (!is_unicode_whitespace(decode_utf8_before(line, end, start))) break;
    end = start;
  }
  return std::string(line.substr(0, end));
}

// vocab.txt: one token per line, the line number is the id (WordPiece::read_file).
std::vector<std::string> read_vocab_lines(const fs::path& path) {
  const std::string text = read_file(path);
  std::vector<std::string> tokens;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    tokens.push_back(trim_end(std::string_view(text).substr(pos, nl - pos)));
    pos = nl + 1;
  }
  if (tokens.empty()) throw TokenizerError(path.string() + ": empty vocabulary");
  return tokens;
}

// A special token in tokenizer_config.json is a string or an AddedToken object.
std::optional<std::string> token_name(const json& config, const char* key) {
  if (!config.contains(key) || config[key].is_null()) return std::nullopt;
  const json& v = config[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v["content"].is_string()) {
    return v["content"].get<std::string>();
  }
  throw TokenizerError(std::string("tokenizer_config.json: ") + key + " is not a token");
}

// Settings from tokenizer_config.json that override the defaults or tokenizer.json (as
// BertTokenizerFast does when its do_lower_case / strip_accents / tokenize_chinese_chars differ).
void apply_config(const json& config, NormalizerOptions& norm, SpecialTokens& specials,
                  std::optional<size_t>& model_max_length) {
  try {
    if (config.contains("do_lower_case")) norm.lowercase = config["do_lower_case"].get<bool>();
    if (config.contains("strip_accents")) {
      norm.strip_accents = config["strip_accents"].is_null()
                               ? std::nullopt
                               : std::optional<bool>(config["strip_accents"].get<bool>());
    }
    if (config.contains("tokenize_chinese_chars")) {
      norm.handle_chinese_chars = config["tokenize_chinese_chars"].get<bool>();
    }
    if (auto t = token_name(config, "unk_token")) specials.unk = *t;
    if (auto t = token_name(config, "sep_token")) specials.sep = *t;
    if (auto t = token_name(config, "pad_token")) specials.pad = *t;
    if (auto t = token_name(config, "cls_token")) specials.cls = *t;
    if (auto t = token_name(config, "mask_token")) specials.mask = *t;
    if (config.contains("model_max_length") && config["model_max_length"].is_number_unsigned()) {
      const auto m = config["model_max_length"].get<uint64_t>();
      if (m <= 1'000'000) model_max_length = static_cast<size_t>(m);  // HF writes 1e30 for "none"
    }
  } catch (const json::exception& e) {
    throw TokenizerError(std::string("tokenizer_config.json: ") + e.what());
  }
}

// The special tokens a BertTokenizerFast built from vocab.txt registers as added tokens.
std::vector<AddedToken> specials_as_added(const Vocab& vocab, const SpecialTokens& s) {
  std::vector<AddedToken> added;
  for (const std::string* name : {&s.pad, &s.unk, &s.cls, &s.sep, &s.mask}) {
    if (auto id = vocab.find(*name)) added.push_back(AddedToken{*name, *id, true});
  }
  return added;
}

void warn_duplicates(const Vocab& vocab, const fs::path& path) {
  for (const auto& d : vocab.duplicates()) {
    std::cerr << "finsent: warning: " << path.string() << ": token '" << d
              << "' is listed more than once; its last id is used\n";
  }
}

std::shared_ptr<WordPieceTokenizerImpl> from_vocab_file(const fs::path& vocab_path,
                                                        const json* config) {
  NormalizerOptions norm;
  SpecialTokens specials;
  std::optional<size_t> max_len;
  if (config) apply_config(*config, norm, specials, max_len);
  Vocab vocab(read_vocab_lines(vocab_path), "##");
  warn_duplicates(vocab, vocab_path);
  auto added = specials_as_added(vocab, specials);
  try {
    auto impl = std::make_shared<WordPieceTokenizerImpl>(std::move(vocab), norm, specials, 100,
                                                         std::move(added));
    impl->model_max_length = max_len;
    impl->encode_settings = parse_encode_settings(json::object(), config);
    return impl;
  } catch (const TokenizerError& e) {
    throw TokenizerError(vocab_path.string() + ": " + e.what());
  }
}

// tokenizer.json with a WordPiece model, BertNormalizer and BertPreTokenizer.
std::shared_ptr<WordPieceTokenizerImpl> from_tokenizer_json(const fs::path& path,
                                                            const json* config) {
  const json doc = parse_json(path);
  const auto fail = [&](const std::string& what) -> TokenizerError {
    return TokenizerError(path.string() + ": " + what);
  };
  try {
    const json& model = doc.at("model");
    if (model.value("type", std::string()) != "WordPiece") {
      throw fail("model type " + model.value("type", std::string("?")) +
                 " is not supported (only WordPiece)");
    }
    std::vector<std::string> tokens;
    for (const auto& [token, id_json] : model.at("vocab").items()) {
      const auto id = id_json.get<int64_t>();
      if (id < 0 || id > 10'000'000) throw fail("vocab id " + std::to_string(id) + " out of range");
      if (static_cast<size_t>(id) >= tokens.size()) tokens.resize(static_cast<size_t>(id) + 1);
      tokens[static_cast<size_t>(id)] = token;
    }
    NormalizerOptions norm{false, false, false, false};
    const json& normalizer = doc.value("normalizer", json());
    if (!normalizer.is_null()) {
      if (normalizer.value("type", std::string()) != "BertNormalizer") {
        throw fail("normalizer " + normalizer.value("type", std::string("?")) +
                   " is not supported (only BertNormalizer)");
      }
      norm.clean_text = normalizer.value("clean_text", true);
      norm.handle_chinese_chars = normalizer.value("handle_chinese_chars", true);
      norm.lowercase = normalizer.value("lowercase", true);
      norm.strip_accents =
          normalizer.contains("strip_accents") && !normalizer["strip_accents"].is_null()
              ? std::optional<bool>(normalizer["strip_accents"].get<bool>())
              : std::nullopt;
    }
    const json& pre = doc.value("pre_tokenizer", json());
    if (pre.is_null() || pre.value("type", std::string()) != "BertPreTokenizer") {
      throw fail("only the BertPreTokenizer pre-tokenizer is supported");
    }
    SpecialTokens specials;
    specials.unk = model.value("unk_token", std::string("[UNK]"));
    std::vector<AddedToken> added;
    for (const auto& t : doc.value("added_tokens", json::array())) {
      const std::string content = t.at("content").get<std::string>();
      if (t.value("normalized", false) || t.value("lstrip", false) || t.value("rstrip", false) ||
          t.value("single_word", false)) {
        throw fail("added token " + content +
                   " uses normalized/lstrip/rstrip/single_word, which is not supported");
      }
      added.push_back(AddedToken{content, t.at("id").get<int32_t>(), t.value("special", false)});
    }
    const json& post = doc.value("post_processor", json());
    if (!post.is_null()) {
      const std::string type = post.value("type", std::string());
      if (type == "BertProcessing") {
        specials.cls = post.at("cls").at(0).get<std::string>();
        specials.sep = post.at("sep").at(0).get<std::string>();
      } else if (type == "TemplateProcessing") {
        const json& single = post.at("single");
        if (single.size() != 3 || !single[0].contains("SpecialToken") ||
            !single[2].contains("SpecialToken")) {
          throw fail("a TemplateProcessing other than [CLS] $A [SEP] is not supported");
        }
        specials.cls = single[0]["SpecialToken"].at("id").get<std::string>();
        specials.sep = single[2]["SpecialToken"].at("id").get<std::string>();
      } else {
        throw fail("post-processor " + type + " is not supported");
      }
    }
    const json& padding = doc.value("padding", json());
    if (padding.is_object() && padding.contains("pad_token")) {
      specials.pad = padding["pad_token"].get<std::string>();
    }
    std::optional<size_t> max_len;
    if (config) apply_config(*config, norm, specials, max_len);
    Vocab vocab(std::move(tokens), model.value("continuing_subword_prefix", std::string("##")));
    warn_duplicates(vocab, path);
    auto impl = std::make_shared<WordPieceTokenizerImpl>(
        std::move(vocab), norm, specials, model.value("max_input_chars_per_word", size_t{100}),
        std::move(added));
    const json& decoder = doc.value("decoder", json());
    if (decoder.is_object() && decoder.value("type", std::string()) == "WordPiece") {
      impl->decoder_prefix = decoder.value("prefix", std::string("##"));
      impl->decoder_cleanup = decoder.value("cleanup", true);
    }
    impl->model_max_length = max_len;
    impl->encode_settings = parse_encode_settings(doc, config);
    return impl;
  } catch (const json::exception& e) {
    throw fail(e.what());
  } catch (const TokenizerError& e) {
    const std::string what = e.what();
    if (what.rfind(path.string(), 0) == 0) throw;
    throw fail(what);
  }
}
}  // namespace

WordPieceTokenizer WordPieceTokenizer::load(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::optional<json> config;
    if (fs::exists(path / "tokenizer_config.json"))
      config = parse_json(path / "tokenizer_config.json");
    const json* cfg = config ? &*config : nullptr;
    if (fs::exists(path / "tokenizer.json")) {
      return WordPieceTokenizer(from_tokenizer_json(path / "tokenizer.json", cfg));
    }
    if (fs::exists(path / "vocab.txt"))
      return WordPieceTokenizer(from_vocab_file(path / "vocab.txt", cfg));
    throw TokenizerError(path.string() + ": no tokenizer.json or vocab.txt in this directory");
  }
  if (!fs::exists(path, ec)) throw IoError(path.string() + ": no such file or directory");
  if (path.extension() == ".json") return WordPieceTokenizer(from_tokenizer_json(path, nullptr));
  return WordPieceTokenizer(from_vocab_file(path, nullptr));
}

WordPieceTokenizer WordPieceTokenizer::from_vocab(const std::vector<std::string>& tokens,
                                                  const NormalizerOptions& normalizer) {
  SpecialTokens specials;
  Vocab vocab(tokens, "##");
  auto added = specials_as_added(vocab, specials);
  return WordPieceTokenizer(std::make_shared<WordPieceTokenizerImpl>(
      std::move(vocab), normalizer, specials, 100, std::move(added)));
}

std::vector<std::pair<std::string, std::string>> WordPieceTokenizer::files() const {
  const auto& impl = *impl_;
  std::string vocab;
  for (const auto& t : impl.vocab.tokens()) vocab += t + "\n";
  const auto& s = impl.specials;
  json specials = {
      {"unk_token", s.unk}, {"sep_token", s.sep}, {"pad_token", s.pad}, {"cls_token", s.cls}};
  if (impl.vocab.find(s.mask)) specials["mask_token"] = s.mask;
  const auto& norm = impl.normalizer.options();
  json config = specials;
  config["do_lower_case"] = norm.lowercase;
  config["strip_accents"] = norm.strip_accents ? json(*norm.strip_accents) : json(nullptr);
  config["tokenize_chinese_chars"] = norm.handle_chinese_chars;
  config["tokenizer_class"] = "BertTokenizer";
  if (impl.model_max_length) config["model_max_length"] = *impl.model_max_length;
  return {{"vocab.txt", vocab},
          {"tokenizer_config.json", config.dump(2) + "\n"},
          {"special_tokens_map.json", specials.dump(2) + "\n"}};
}

}  // namespace finsent::text
