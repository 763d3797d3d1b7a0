// Validation of a report Document's anchors and figure names.
#include "finsent/report/document.hpp"

#include <set>

#include "finsent/core/error.hpp"

namespace finsent::report {
namespace {

bool is_slug(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void validate(const Document& document) {
  std::set<std::string> ids, figures;
  for (const Section& section : document.sections) {
    if (!is_slug(section.id)) {
      throw InputError("report section '" + section.title + "': id '" + section.id +
                       "' must be non-empty [a-z0-9_-]");
    }
    if (!ids.insert(section.id).second) {
      throw InputError("report section id '" + section.id + "' is used twice");
    }
    for (const Block& block : section.blocks) {
      const auto* figure = std::get_if<Figure>(&block);
      if (figure == nullptr) continue;
      if (!is_slug(figure->name)) {
        throw InputError("report figure '" + figure->caption + "': name '" + figure->name +
                         "' must be non-empty [a-z0-9_-]");
      }
      if (!figures.insert(figure->name).second) {
        throw InputError("report figure name '" + figure->name + "' is used twice");
      }
    }
  }
}

}  // namespace finsent::report
