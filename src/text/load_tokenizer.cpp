// load_tokenizer: the text::Tokenizer implementation a model directory's files call for. BERT-style
// WordPiece files take the fused WordPieceTokenizer; every other tokenizer.json (and vocab.json +
// merges.txt, or a SentencePiece .model) the generic pipeline.
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "finsent/core/error.hpp"
#include "finsent/text/tokenizer.hpp"
#include "finsent/text/wordpiece_tokenizer.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "sentencepiece_convert.hpp"
#include "sentencepiece_model.hpp"

namespace finsent::text {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json parse_json_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  try {
    return json::parse(buffer.str());
  } catch (const json::exception& e) {
    throw TokenizerError(path.string() + ": invalid JSON: " + e.what());
  }
}

std::string type_of(const json& doc, const char* section) {
  if (!doc.contains(section) || doc[section].is_null()) return "";
  const json& s = doc[section];
  return s.is_object() && s.contains("type") && s["type"].is_string() ? s["type"].get<std::string>()
                                                                      : "?";
}

bool is_special_piece(const json& p, uint8_t type) {
  return p.is_object() && p.contains("SpecialToken") &&
         p["SpecialToken"].value("type_id", 0) == type;
}
bool is_sequence_piece(const json& p, const char* id, uint8_t type) {
  return p.is_object() && p.contains("Sequence") && p["Sequence"].value("id", "") == id &&
         p["Sequence"].value("type_id", 0) == type;
}

// [CLS] $A [SEP] and [CLS] $A [SEP] $B:1 [SEP]:1, each special one id, the same [SEP] twice.
bool is_bert_template(const json& post) {
  const json single = post.value("single", json()), pair = post.value("pair", json());
  if (!single.is_array() || !pair.is_array() || single.size() != 3 || pair.size() != 5)
    return false;
  if (!is_special_piece(single[0], 0) || !is_sequence_piece(single[1], "A", 0) ||
      !is_special_piece(single[2], 0)) {
    return false;
  }
  if (pair[0] != single[0] || !is_sequence_piece(pair[1], "A", 0) || pair[2] != single[2] ||
      !is_sequence_piece(pair[3], "B", 1) || !is_special_piece(pair[4], 1)) {
    return false;
  }
  const auto name = [](const json& p) { return p["SpecialToken"].value("id", ""); };
  const json specials = post.value("special_tokens", json::object());
  for (const json* p : {&single[0], &single[2]}) {
    const json s = specials.value(name(*p), json());
    if (!s.is_object() || !s.contains("ids") || s["ids"].size() != 1) return false;
  }
  return name(pair[4]) == name(single[2]);
}

// Whether WordPieceTokenizer reproduces this tokenizer.json exactly: WordPiece model,
// BertNormalizer (or none), BertPreTokenizer, BERT's specials, WordPiece decoder, plain added
// tokens.
bool wordpiece_fast_path(const json& doc) {
  const json& model = doc.value("model", json());
  const bool wordpiece = model.is_object() &&
                         (model.value("type", "") == "WordPiece" ||
                          (!model.contains("type") && model.contains("max_input_chars_per_word")));
  const std::string norm = type_of(doc, "normalizer"), post = type_of(doc, "post_processor");
  if (!wordpiece || (norm != "" && norm != "BertNormalizer") ||
      type_of(doc, "pre_tokenizer") != "BertPreTokenizer" ||
      type_of(doc, "decoder") != "WordPiece") {
    return false;
  }
  if (post != "BertProcessing" &&
      !(post == "TemplateProcessing" && is_bert_template(doc["post_processor"]))) {
    return false;
  }
  for (const json& t : doc.value("added_tokens", json::array())) {
    if (t.value("normalized", false) || t.value("lstrip", false) || t.value("rstrip", false) ||
        t.value("single_word", false)) {
      return false;
    }
  }
  return true;
}

std::shared_ptr<const Tokenizer> from_tokenizer_json(const fs::path& file,
                                                     const fs::path& wordpiece_source,
                                                     const json* config) {
  const json doc = parse_json_file(file);
  if (wordpiece_fast_path(doc)) {
    return std::make_shared<const WordPieceTokenizer>(WordPieceTokenizer::load(wordpiece_source));
  }
  return load_pipeline_tokenizer(doc, config, file.string());
}

}  // namespace

std::shared_ptr<const Tokenizer> load_tokenizer(const fs::path& path) {
  if (fs::is_directory(path)) {
    std::optional<json> config;
    if (fs::exists(path / "tokenizer_config.json"))
      config = parse_json_file(path / "tokenizer_config.json");
    const json* cfg = config ? &*config : nullptr;
    if (fs::exists(path / "tokenizer.json"))
      return from_tokenizer_json(path / "tokenizer.json", path, cfg);
    if (!fs::exists(path / "vocab.txt") && fs::exists(path / "vocab.json") &&
        fs::exists(path / "merges.txt")) {
      const json doc = tokenizer_json_from_vocab_merges(path / "vocab.json", path / "merges.txt",
                                                        cfg ? *cfg : json::object());
      return load_pipeline_tokenizer(doc, cfg, path.string());
    }
    for (const char* spm : {"spm.model", "spiece.model", "sentencepiece.bpe.model"}) {
      if (!fs::exists(path / "vocab.txt") && fs::exists(path / spm)) {
        const json doc =
            sentencepiece_tokenizer_json(read_sentencepiece_model(path / spm),
                                         cfg ? *cfg : json::object(), (path / spm).string());
        return load_pipeline_tokenizer(doc, cfg, (path / spm).string());
      }
    }
    return std::make_shared<const WordPieceTokenizer>(WordPieceTokenizer::load(path));
  }
  if (path.extension() == ".json") return from_tokenizer_json(path, path, nullptr);
  return std::make_shared<const WordPieceTokenizer>(WordPieceTokenizer::load(path));
}

}  // namespace finsent::text
