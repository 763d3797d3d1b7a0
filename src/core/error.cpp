// Context-adding rethrow for the error hierarchy.
#include "finsent/core/error.hpp"

#include <exception>

namespace finsent {

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
