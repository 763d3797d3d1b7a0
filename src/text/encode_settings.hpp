// Reading tokenizer.json's truncation and padding sections and tokenizer_config.json's sides.
#pragma once

#include <nlohmann/json.hpp>

#include "finsent/text/encoding.hpp"

namespace finsent::text {

// The sections as tokenizers deserializes them (max_length, strategy and stride required,
// direction Right when absent; every padding field required but pad_to_multiple_of), the sides as
// Transformers' PreTrainedTokenizerFast reads them (tokenizer_config.json's truncation_side /
// padding_side, else the sections' directions). `config` may be null. Throws TokenizerError
// naming the field.
EncodeSettings parse_encode_settings(const nlohmann::json& tokenizer_json,
                                     const nlohmann::json* config);

}  // namespace finsent::text
