// Fuzzes the /predict body parser: any bytes must parse or raise ApiError, never crash or throw
// else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "finsent/serve/api_error.hpp"
#include "finsent/serve/predict_request.hpp"
#include "finsent/serve/scores.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  finsent::serve::RequestLimits limits;
  limits.max_client_batch_size = 8;
  limits.max_input_chars = 64;
  try {
    const auto request = finsent::serve::parse_predict_request(body, limits);
    if (request.inputs.empty() || (!request.batch && request.inputs.size() != 1)) __builtin_trap();
    if (request.inputs.size() > limits.max_client_batch_size) __builtin_trap();
    const std::vector<std::string> labels{"a", "b"};
    const std::vector<float> logits{static_cast<float>(request.inputs[0].text.size()), 0.0f};
    (void)finsent::serve::ranked_scores(labels, logits, request.raw_scores);
    (void)finsent::serve::error_body(request.inputs[0].text, "validation");
  } catch (const finsent::serve::ApiError& e) {
    if (e.status() != 400 && e.status() != 413 && e.status() != 422) __builtin_trap();
  }
  return 0;
}
