// The one list of pipeline components: tokenizer.json's "type" names to constructors. Adding a
// component is one file and one line in registry.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

// Each builds the component a tokenizer.json section describes, with the reference's defaults for
// absent fields. Throws TokenizerError naming the section and type when the type is unknown or a
// field is malformed.
std::unique_ptr<Normalizer> make_normalizer(const nlohmann::json& j);
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& j);
std::unique_ptr<Model> make_model(const nlohmann::json& j);
std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& j);
std::unique_ptr<Decoder> make_decoder(const nlohmann::json& j);

}  // namespace finsent::text
