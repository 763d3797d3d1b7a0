// Which head a model directory's model uses: `--head auto`, including the pooling a
// sentence-transformers directory was trained with (modules.json + its Pooling module's config).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "finsent/models/config.hpp"

namespace finsent::models {

// The head a sentence-transformers directory pools with: modules.json lists a
// sentence_transformers.models.Pooling module whose config.json (e.g. 1_Pooling/config.json) sets
// exactly one pooling_mode_*: pooling_mode_mean_tokens -> "mean", pooling_mode_cls_token ->
// "linear" (both as sentence-transformers computes them). nullopt when `dir` has no modules.json or
// it lists no Pooling module. Throws ConfigError "FILE: FIELD: reason" for an unreadable or
// malformed file, a pooling mode finsent does not implement (max_tokens, mean_sqrt_len_tokens,
// weightedmean_tokens, lasttoken), several modes at once, none, or a word_embedding_dimension
// other than model_config.hidden_size.
std::optional<std::string> sentence_transformers_head(const std::filesystem::path& dir,
                                                      const ModelConfig& model_config);

// What `--head auto` means for the model in `dir` (its parsed config.json given), as a head name,
// in this order: the head config.json marks ("finsent_head": a model finsent saved with the linear
// or mean head); the family's Transformers head (ModelFamily::head) when architectures names the
// model_type's *ForSequenceClassification (the head that checkpoint was trained with); the
// sentence-transformers pooling (sentence_transformers_head); else the family's Transformers head.
// Throws ConfigError as sentence_transformers_head does.
std::string auto_head(const std::filesystem::path& dir, const ModelConfig& config);

// `requested` ("auto" or a head's name) as the name of the head for the model in `dir`. Throws
// ConfigError for an unknown name (registry.hpp's head_kind).
std::string resolve_head(const std::filesystem::path& dir, const ModelConfig& config,
                         const std::string& requested);

}  // namespace finsent::models
