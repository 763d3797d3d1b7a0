// The JSON body of an error response.
#include "finsent/serve/api_error.hpp"

#include <nlohmann/json.hpp>

namespace finsent::serve {

std::string error_body(const std::string& message, const std::string& error_type) {
  nlohmann::json body{{"error", message}, {"error_type", error_type}};
  // Messages may quote user bytes; never let invalid UTF-8 turn an error into an exception.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace finsent::serve
