// The registry of model families, the one place that maps model_type to a family (finsent's own
// are listed in src/models/registry.cpp, one line each), and of the heads --head can name.
#pragma once

#include <string>
#include <vector>

#include "finsent/models/family.hpp"
#include "finsent/models/heads.hpp"

namespace finsent::models {

// The family reading `model_type` (its own or an alias). Throws ConfigError
// "model_type \"gpt2\" is not supported (finsent supports \"bert\" and \"distilbert\")".
const ModelFamily& model_family(const std::string& model_type);
// The same, or nullptr.
const ModelFamily* find_model_family(const std::string& model_type);
// Every family, finsent's own first, then those registered, in registration order.
std::vector<const ModelFamily*> model_families();
// Every model_type read, quoted, for messages: "\"bert\" and \"distilbert\"".
std::string supported_model_types();

// Adds a family (a program's or a test's own; finsent's are listed in registry.cpp). Thread-safe;
// references returned before stay valid. Throws std::invalid_argument when it lacks model_types,
// prefix, build, shapes or a head, or when one of its model_types or its head's name is taken.
void register_family(ModelFamily family);

// The head --head NAME names: a family's Transformers head, linear or mean. Throws ConfigError
// "unknown head \"x\" (auto, bert, distilbert, linear, mean)".
const HeadKind& head_kind(const std::string& name);
// Every head: the families' (in family order), then linear and mean.
std::vector<const HeadKind*> head_kinds();
// "auto | bert | distilbert | linear | mean": the values --head takes, for help texts.
std::string head_choices(const std::string& separator = " | ");
// make_head(head_kind(name), config, linear_dropout).
Head make_head(const std::string& name, const ModelConfig& config, double linear_dropout);

}  // namespace finsent::models
