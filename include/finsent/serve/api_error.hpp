// An HTTP-facing error: status code, TEI-style error_type, and its JSON body.
#pragma once

#include <string>

#include "finsent/core/error.hpp"

namespace finsent::serve {

// A request the server refuses. error_type follows text-embeddings-inference where it has a
// name for the case ("validation", "empty", "overloaded", "backend", "unhealthy").
class ApiError : public InputError {
 public:
  ApiError(int status, std::string error_type, const std::string& message)
      : InputError(message), status_(status), error_type_(std::move(error_type)) {}
  int status() const { return status_; }
  const std::string& error_type() const { return error_type_; }

 private:
  int status_;
  std::string error_type_;
};

// The JSON error body every non-2xx response carries: {"error": message, "error_type": type}.
std::string error_body(const std::string& message, const std::string& error_type);

}  // namespace finsent::serve
