// tokenizer.json post-processors (tokenizers::processors): BertProcessing, RobertaProcessing,
// TemplateProcessing, Sequence. ByteLevel is in byte_level.hpp.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

std::unique_ptr<PostProcessor> make_bert_processing(const nlohmann::json& j);
std::unique_ptr<PostProcessor> make_roberta_processing(const nlohmann::json& j);
std::unique_ptr<PostProcessor> make_template_processing(const nlohmann::json& j);
std::unique_ptr<PostProcessor> make_post_processor_sequence(const nlohmann::json& j);

}  // namespace finsent::text
