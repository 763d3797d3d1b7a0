// The registry: THE list of finsent's model families (one line each), families registered by a
// program or test, and the heads --head names.
#include "finsent/models/registry.hpp"

#include <deque>
#include <mutex>
#include <stdexcept>

#include "finsent/core/error.hpp"
#include "finsent/models/bert/bert_family.hpp"
#include "finsent/models/distilbert/distilbert_family.hpp"
#include "finsent/models/electra/electra_family.hpp"
#include "finsent/models/mpnet/mpnet_family.hpp"
#include "finsent/models/roberta/roberta_family.hpp"

namespace finsent::models {
namespace {

// finsent's families, one line each: adding a family is its folder (src/models/<family>/) plus one
// line here.
constexpr ModelFamily (*kFamilies[])() = {
    &bert_family,        // bert: BERT, MiniLM, FinBERT
    &distilbert_family,  // distilbert
    &roberta_family,     // roberta, xlm-roberta, camembert: RoBERTa, DistilRoBERTa, XLM-R
    &electra_family,     // electra: ELECTRA discriminators
    &mpnet_family,       // mpnet: MPNet, all-mpnet-base-v2
};

// Why `family` cannot join `known` ("" when it can).
std::string conflict(const ModelFamily& family, const std::deque<ModelFamily>& known) {
  if (family.model_types.empty()) return "a family needs at least one model_type";
  if (family.prefix.empty() || !family.build || !family.shapes)
    return "model_type \"" + family.name() + "\" needs a prefix, build and shapes";
  if (family.head.name.empty() || !family.head.make)
    return "model_type \"" + family.name() + "\" needs a head with a name and a make function";
  const std::string& head = family.head.name;
  if (head == "auto" || head == kLinearHead || head == kMeanHead)
    return "head name \"" + head + "\" is reserved";
  for (const ModelFamily& other : known) {
    if (other.head.name == head) return "head name \"" + head + "\" is taken";
    for (const auto& mine : family.model_types)
      for (const auto& theirs : other.model_types)
        if (mine.model_type == theirs.model_type)
          return "model_type \"" + mine.model_type + "\" is taken";
  }
  return "";
}

struct Registry {
  Registry() {
    for (auto family : kFamilies) add(family());
  }
  void add(ModelFamily family) {
    const std::string why = conflict(family, families);
    if (!why.empty()) throw std::invalid_argument("register_family: " + why);
    families.push_back(std::move(family));
  }
  std::mutex mutex;
  std::deque<ModelFamily> families;  // push_back keeps references to the others valid
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

const ModelTypeNames& ModelFamily::names(const std::string& model_type) const {
  for (const auto& names : model_types)
    if (names.model_type == model_type) return names;
  throw ConfigError("model_type \"" + model_type + "\" is not one of the family \"" + name() +
                    "\"'s");
}

const ModelFamily* find_model_family(const std::string& model_type) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const ModelFamily& family : r.families)
    for (const auto& names : family.model_types)
      if (names.model_type == model_type) return &family;
  return nullptr;
}

const ModelFamily& model_family(const std::string& model_type) {
  if (const ModelFamily* family = find_model_family(model_type)) return *family;
  throw ConfigError("model_type \"" + model_type + "\" is not supported (finsent supports " +
                    supported_model_types() + ")");
}

std::vector<const ModelFamily*> model_families() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<const ModelFamily*> out;
  for (const ModelFamily& family : r.families) out.push_back(&family);
  return out;
}

std::string supported_model_types() {
  std::vector<std::string> types;
  for (const ModelFamily* family : model_families())
    for (const auto& names : family->model_types) types.push_back(names.model_type);
  std::string out;
  for (size_t i = 0; i < types.size(); ++i)
    out += (i == 0 ? "" : i + 1 == types.size() ? " and " : ", ") + ("\"" + types[i] + "\"");
  return out;
}

void register_family(ModelFamily family) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.add(std::move(family));
}

std::vector<const HeadKind*> head_kinds() {
  std::vector<const HeadKind*> out;
  for (const ModelFamily* family : model_families()) out.push_back(&family->head);
  out.push_back(&linear_head_kind());
  out.push_back(&mean_head_kind());
  return out;
}

std::string head_choices(const std::string& separator) {
  std::string out = "auto";
  for (const HeadKind* kind : head_kinds()) out += separator + kind->name;
  return out;
}

const HeadKind& head_kind(const std::string& name) {
  for (const HeadKind* kind : head_kinds())
    if (kind->name == name) return *kind;
  throw ConfigError("unknown head \"" + name + "\" (" + head_choices(", ") + ")");
}

Head make_head(const std::string& name, const ModelConfig& config, double linear_dropout) {
  return make_head(head_kind(name), config, linear_dropout);
}

}  // namespace finsent::models
