// The registry: tokenizer.json "type" names to the constructors of pipeline components.
#include "registry.hpp"

#include <map>
#include <string>

#include "bpe_model.hpp"
#include "byte_level.hpp"
#include "decoders.hpp"
#include "json_fields.hpp"
#include "normalizers.hpp"
#include "post_processors.hpp"
#include "pre_tokenizers.hpp"
#include "sentencepiece_components.hpp"
#include "wordpiece_pipeline_model.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;

template <class T>
using Table = std::map<std::string, std::unique_ptr<T> (*)(const json&)>;

const Table<Normalizer>& normalizers() {
  static const Table<Normalizer> t = {
      {"BertNormalizer", make_bert_normalizer},
      {"Sequence", make_normalizer_sequence},
      {"NFC", make_nfc},
      {"NFD", make_nfd},
      {"NFKC", make_nfkc},
      {"NFKD", make_nfkd},
      {"Lowercase", make_lowercase},
      {"Strip", make_strip},
      {"StripAccents", make_strip_accents},
      {"Replace", make_replace},
      {"Prepend", make_prepend},
      {"Precompiled", make_precompiled},
  };
  return t;
}

const Table<PreTokenizer>& pre_tokenizers() {
  static const Table<PreTokenizer> t = {
      {"BertPreTokenizer", make_bert_pre_tokenizer},
      {"ByteLevel", make_byte_level_pre_tokenizer},
      {"Whitespace", make_whitespace},
      {"WhitespaceSplit", make_whitespace_split},
      {"Punctuation", make_punctuation},
      {"Digits", make_digits},
      {"Split", make_split},
      {"Sequence", make_pre_tokenizer_sequence},
      {"Metaspace", make_metaspace_pre_tokenizer},
  };
  return t;
}

const Table<Model>& models() {
  static const Table<Model> t = {
      {"BPE", make_bpe_model}, {"WordPiece", make_wordpiece_pipeline_model},
      {"Unigram", make_unigram_model},
  };
  return t;
}

const Table<PostProcessor>& post_processors() {
  static const Table<PostProcessor> t = {
      {"BertProcessing", make_bert_processing},
      {"RobertaProcessing", make_roberta_processing},
      {"TemplateProcessing", make_template_processing},
      {"ByteLevel", make_byte_level_post_processor},
      {"Sequence", make_post_processor_sequence},
  };
  return t;
}

const Table<Decoder>& decoders() {
  static const Table<Decoder> t = {
      {"WordPiece", make_wordpiece_decoder},
      {"ByteLevel", make_byte_level_decoder},
      {"BPEDecoder", make_bpe_decoder},
      {"Replace", make_replace_decoder},
      {"ByteFallback", make_byte_fallback_decoder},
      {"Fuse", make_fuse_decoder},
      {"Strip", make_strip_decoder},
      {"Sequence", make_decoder_sequence},
      {"Metaspace", make_metaspace_decoder},
  };
  return t;
}

template <class T>
std::unique_ptr<T> make(const Table<T>& table, const json& j, const char* section) {
  const std::string type = json_fields::type_of(j, section);
  const auto it = table.find(type);
  if (it == table.end()) {
    throw TokenizerError(std::string("tokenizer.json: ") + section + " type " + type +
                         " is not supported");
  }
  return it->second(j);
}

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const json& j) {
  return make(normalizers(), j, "normalizer");
}
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const json& j) {
  return make(pre_tokenizers(), j, "pre_tokenizer");
}
std::unique_ptr<Model> make_model(const json& j) {
  // Older files omit the model's type; tokenizers then infers it from its fields.
  if (j.is_object() && !j.contains("type")) {
    json typed = j;
    typed["type"] = j.contains("merges")                     ? "BPE"
                    : j.contains("max_input_chars_per_word") ? "WordPiece"
                                                             : "Unigram";
    return make(models(), typed, "model");
  }
  return make(models(), j, "model");
}
std::unique_ptr<PostProcessor> make_post_processor(const json& j) {
  return make(post_processors(), j, "post_processor");
}
std::unique_ptr<Decoder> make_decoder(const json& j) {
  return make(decoders(), j, "decoder");
}

}  // namespace finsent::text
