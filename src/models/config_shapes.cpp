// config.json against a checkpoint's header: sizes and layer count checked before allocation.
#include "finsent/models/config_shapes.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "finsent/core/error.hpp"
#include "finsent/models/registry.hpp"

namespace finsent::models {
namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

// The checkpoint's name for `name`: itself, or with the family prefix.
std::optional<std::string> find_name(const std::set<std::string>& names, const std::string& name,
                                     const std::string& prefix) {
  if (names.count(name)) return name;
  if (names.count(prefix + "." + name)) return prefix + "." + name;
  return std::nullopt;
}

// 1 + the highest block index among names "[prefix.]layer_prefix<i>.", 0 when there is none.
int64_t checkpoint_layers(const std::set<std::string>& names, const std::string& prefix,
                          const std::string& layer_prefix) {
  int64_t layers = 0;
  for (const std::string& full : names) {
    std::string_view n = full;
    if (n.rfind(prefix + ".", 0) == 0) n.remove_prefix(prefix.size() + 1);
    if (n.rfind(layer_prefix, 0) != 0) continue;
    n.remove_prefix(layer_prefix.size());
    int64_t index = 0;
    size_t digits = 0;
    while (digits < n.size() && digits < 12 && n[digits] >= '0' && n[digits] <= '9')
      index = index * 10 + (n[digits++] - '0');
    if (digits > 0 && digits < n.size() && n[digits] == '.') layers = std::max(layers, index + 1);
  }
  return layers;
}

void check_probe(const ShapeProbe& probe, const std::vector<int64_t>& actual,
                 const std::string& found_as, const std::string& config_origin,
                 const std::string& checkpoint_origin) {
  if (actual == probe.shape) return;
  // The first dimension that differs names the field; a rank mismatch blames the first field.
  size_t dim = 0;
  while (dim < probe.shape.size() && dim < actual.size() && actual[dim] == probe.shape[dim]) ++dim;
  if (dim >= probe.shape.size()) dim = 0;
  const std::string field = dim < probe.fields.size() ? probe.fields[dim] : "";
  throw WeightsError(config_origin + ": " + field + ": " + std::to_string(probe.shape[dim]) +
                     " disagrees with the checkpoint: " + checkpoint_origin + " holds " + found_as +
                     " as " + shape_text(actual) + " (config.json makes it " +
                     shape_text(probe.shape) + ")" + probe.note);
}

}  // namespace

ShapeProbe pinned_probe(std::string name, std::vector<int64_t> shape,
                        std::vector<std::string> fields) {
  ShapeProbe probe;
  probe.name = std::move(name);
  probe.shape = std::move(shape);
  probe.fields = std::move(fields);
  return probe;
}

void check_config_shapes(const ModelConfig& config, const std::string& config_origin,
                         const TensorSource& source, const std::vector<ShapeProbe>& head_probes) {
  const ModelFamily& family = model_family(config.model_type);
  const FamilyShapes shapes = family.shapes(config);
  const std::vector<std::string> listed = source.names();
  const std::set<std::string> names(listed.begin(), listed.end());
  const std::string origin = source.origin();

  std::vector<std::string> missing;
  for (const ShapeProbe& probe : shapes.probes) {
    const auto found = find_name(names, probe.name, family.prefix);
    if (!found) {
      if (probe.required) missing.push_back(family.prefix + "." + probe.name);
      continue;
    }
    check_probe(probe, source.shape(*found), *found, config_origin, origin);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    const bool none = missing.size() == shapes.probes.size();
    throw WeightsError(origin + ": weights missing from the checkpoint: " + list +
                       (none ? " (no weight name matched: is this checkpoint for model_type \"" +
                                   family.prefix + "\"?)"
                             : ""));
  }
  const int64_t layers = checkpoint_layers(names, family.prefix, shapes.layer_prefix);
  if (shapes.layers > layers)
    throw WeightsError(config_origin + ": " + shapes.layers_field + ": " +
                       std::to_string(shapes.layers) + " disagrees with the checkpoint: " + origin +
                       " holds " + std::to_string(layers) + " layers (" + family.prefix + "." +
                       shapes.layer_prefix + "0-" + std::to_string(layers - 1) + ")");
  for (const ShapeProbe& probe : head_probes) {
    const auto found = find_name(names, probe.name, family.prefix);
    if (found) check_probe(probe, source.shape(*found), *found, config_origin, origin);
  }
}

}  // namespace finsent::models
