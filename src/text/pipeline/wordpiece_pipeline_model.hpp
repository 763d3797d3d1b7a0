// The WordPiece model as a pipeline Model (tokenizer.json files whose other stages the BERT fast
// path does not cover, e.g. MPNet's <s> ... </s> template).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

std::unique_ptr<Model> make_wordpiece_pipeline_model(const nlohmann::json& j);

}  // namespace finsent::text
