// Context-adding rethrow for the error hierarchy.
#include "finsent/core/error.hpp"

#include <exception>

namespace finsent {
namespace {

std::string without_nul(const std::string& message) {
  if (message.find('\0') == std::string::npos) return message;
  std::string out;
  out.reserve(message.size() + 16);
  for (char c : message) {
    if (c == '\0')
      out += "\\x00";
    else
      out += c;
  }
  return out;
}

}  // namespace

Error::Error(const std::string& message) : std::runtime_error(without_nul(message)) {}

void rethrow_with_context(const std::string& context) {
  try {
    throw;
  } catch (const InputError& e) {
    throw InputError(context + ": " + e.what());
  } catch (const ConfigError& e) {
    throw ConfigError(context + ": " + e.what());
  } catch (const WeightsError& e) {
    throw WeightsError(context + ": " + e.what());
  } catch (const TokenizerError& e) {
    throw TokenizerError(context + ": " + e.what());
  } catch (const IoError& e) {
    throw IoError(context + ": " + e.what());
  } catch (const std::exception& e) {
    throw Error(context + ": " + e.what());
  }
}

}  // namespace finsent
