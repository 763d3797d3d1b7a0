// Parsing and validating a TEI-compatible POST /predict body.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "finsent/serve/classifier_backend.hpp"

namespace finsent::serve {

struct RequestLimits {
  size_t max_client_batch_size = 32;  // inputs per request; more is a 422
  size_t max_input_chars =
      100000;  // Unicode code points per input (a pair counts both); more is a 413
};

// What /predict was asked. `batch` is true for the list-of-lists shape, whose answer is a list of
// ranked lists; otherwise `inputs` has exactly one element and the answer is one ranked list.
struct PredictRequest {
  std::vector<SequenceInput> inputs;
  bool batch = false;
  bool raw_scores = false;
  bool truncate = true;
};

// Accepted shapes of "inputs" (as in text-embeddings-inference):
//   "text"                    one input
//   ["text a", "text b"]      one input made of a sentence pair (["text"] is one plain input)
//   [["a"], ["b", "c"], "d"]  a batch; each element one text or a [text, pair]
// Throws ApiError: malformed JSON 400; a missing or mistyped field, an empty batch, or more than
// max_client_batch_size inputs 422; an input longer than max_input_chars 413.
PredictRequest parse_predict_request(std::string_view body, const RequestLimits& limits);

// Number of Unicode code points in UTF-8 text (bytes that are not continuation bytes).
size_t count_code_points(std::string_view utf8);

}  // namespace finsent::serve
