// tokenizer.json pre-tokenizers (tokenizers::pre_tokenizers): BertPreTokenizer, Whitespace,
// WhitespaceSplit, Punctuation, Digits, Split, Sequence. ByteLevel is in byte_level.hpp, Metaspace
// in its own file.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

std::unique_ptr<PreTokenizer> make_bert_pre_tokenizer(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_whitespace(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_whitespace_split(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_punctuation(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_digits(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_split(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_pre_tokenizer_sequence(const nlohmann::json& j);

// "Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous".
SplitBehavior parse_split_behavior(const nlohmann::json& j, const std::string& where);

}  // namespace finsent::text
