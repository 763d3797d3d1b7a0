// Parsing and validating a TEI-compatible POST /predict body.
#include "finsent/serve/predict_request.hpp"

#include <nlohmann/json.hpp>

#include "finsent/serve/api_error.hpp"

namespace finsent::serve {
namespace {

using nlohmann::json;

[[noreturn]] void unprocessable(const std::string& message) {
  throw ApiError(422, "validation", message);
}

const char* type_name(const json& j) {
  return j.type_name();
}

// One element of a batch: "text", ["text"] or ["text", "pair"].
SequenceInput parse_sequence(const json& j, const std::string& where) {
  if (j.is_string()) return {j.get<std::string>(), std::nullopt};
  if (!j.is_array())
    unprocessable(where + " must be a string or a list of 1 or 2 strings, not " + type_name(j));
  if (j.empty() || j.size() > 2)
    unprocessable(where + " must hold 1 or 2 strings (a text or a sentence pair), not " +
                  std::to_string(j.size()));
  for (size_t i = 0; i < j.size(); ++i)
    if (!j[i].is_string())
      unprocessable(where + "[" + std::to_string(i) + "] must be a string, not " + type_name(j[i]));
  SequenceInput input{j[0].get<std::string>(), std::nullopt};
  if (j.size() == 2) input.pair = j[1].get<std::string>();
  return input;
}

bool optional_bool(const json& body, const char* field, bool fallback) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    unprocessable(std::string("`") + field + "` must be a boolean, not " + type_name(*it));
  return it->get<bool>();
}

}  // namespace

size_t count_code_points(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

PredictRequest parse_predict_request(std::string_view body, const RequestLimits& limits) {
  json doc;
  try {
    doc = json::parse(body.begin(), body.end());
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers like 1e999
    throw ApiError(400, "validation", std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object())
    unprocessable(std::string("body must be a JSON object, not ") + type_name(doc));
  auto it = doc.find("inputs");
  if (it == doc.end()) unprocessable("missing field `inputs`");
  const json& inputs = *it;

  PredictRequest request;
  request.raw_scores = optional_bool(doc, "raw_scores", false);
  request.truncate = optional_bool(doc, "truncate", true);

  // A list whose first element is a list is a batch; any other list is one (possibly pair) input.
  if (inputs.is_array() && !inputs.empty() && inputs[0].is_array()) {
    request.batch = true;
    if (inputs.size() > limits.max_client_batch_size)
      unprocessable("batch size " + std::to_string(inputs.size()) +
                    " exceeds --max-client-batch-size " +
                    std::to_string(limits.max_client_batch_size));
    for (size_t i = 0; i < inputs.size(); ++i)
      request.inputs.push_back(parse_sequence(inputs[i], "`inputs[" + std::to_string(i) + "]`"));
  } else if (inputs.is_array() && inputs.empty()) {
    throw ApiError(422, "empty", "`inputs` cannot be empty");
  } else {
    request.inputs.push_back(parse_sequence(inputs, "`inputs`"));
  }

  for (size_t i = 0; i < request.inputs.size(); ++i) {
    const SequenceInput& input = request.inputs[i];
    size_t chars = count_code_points(input.text);
    if (input.pair) chars += count_code_points(*input.pair);
    if (chars > limits.max_input_chars)
      throw ApiError(413, "validation",
                     "input " + std::to_string(i) + " has " + std::to_string(chars) +
                         " characters, more than --max-input-chars " +
                         std::to_string(limits.max_input_chars));
  }
  return request;
}

}  // namespace finsent::serve
