// One labelled text: the unit every reader produces and every later step consumes.
#pragma once

#include <string>

namespace finsent::data {

struct Example {
  std::string text;   // UTF-8
  std::string label;  // the label as written in the source (e.g. "positive")
};

}  // namespace finsent::data
