// Building a PipelineTokenizer from tokenizer.json, or from the older vocab.json + merges.txt as
// Transformers' convert_slow_tokenizer builds them for that tokenizer class.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "finsent/text/tokenizer.hpp"

namespace finsent::text {

// `doc` is a parsed tokenizer.json; `config` a parsed tokenizer_config.json or null (special
// tokens by role, model_max_length). Throws TokenizerError prefixed with `source`.
std::shared_ptr<const Tokenizer> load_pipeline_tokenizer(const nlohmann::json& doc,
                                                         const nlohmann::json* config,
                                                         const std::string& source);

// The tokenizer.json document that Transformers' GPT2Converter / RobertaConverter builds from
// vocab.json + merges.txt for tokenizer_config.json's tokenizer_class (GPT2Tokenizer[Fast],
// RobertaTokenizer[Fast], BartTokenizer[Fast], LongformerTokenizer[Fast]). Throws TokenizerError
// for other classes or malformed files, IoError when a file cannot be read.
nlohmann::json tokenizer_json_from_vocab_merges(const std::filesystem::path& vocab_json,
                                                const std::filesystem::path& merges_txt,
                                                const nlohmann::json& config);

}  // namespace finsent::text
