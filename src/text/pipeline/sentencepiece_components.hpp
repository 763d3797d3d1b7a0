// The SentencePiece components of the tokenizer.json pipeline: normalizer "Precompiled",
// pre-tokenizer and decoder "Metaspace", model "Unigram" (registered in registry.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

// Each reads its tokenizer.json section with the reference's defaults (Metaspace: replacement
// "▁", prepend_scheme "always", or "never" for the legacy add_prefix_space=false, split true;
// Unigram: unk_id null, byte_fallback false). Throws TokenizerError naming the field.
std::unique_ptr<Normalizer> make_precompiled(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_metaspace_pre_tokenizer(const nlohmann::json& j);
std::unique_ptr<Decoder> make_metaspace_decoder(const nlohmann::json& j);
std::unique_ptr<Model> make_unigram_model(const nlohmann::json& j);

}  // namespace finsent::text
