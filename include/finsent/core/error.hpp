// The small error hierarchy every layer throws; the CLI and the server translate it at the edges.
#pragma once

#include <stdexcept>
#include <string>

namespace finsent {

// Base of every error finsent throws on purpose. what() is a user-facing, one-line message.
// A NUL byte in the message (text quoted from a UTF-16 file, say) is kept as the four characters
// "\x00", so what() (a C string) never ends before the message does.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  explicit Error(const char* message) : Error(std::string(message)) {}
};

// Bad user input: a data file, a request body, a command-line value. Servers map it to 4xx.
class InputError : public Error {
 public:
  using Error::Error;
};

// A config.json / tokenizer_config.json that is missing, malformed or inconsistent.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A checkpoint that cannot be read, or whose weights do not fit the model.
class WeightsError : public Error {
 public:
  using Error::Error;
};

// A vocabulary or tokenizer.json that cannot be used.
class TokenizerError : public Error {
 public:
  using Error::Error;
};

// A file-system or network operation that failed (open, write, rename, download).
class IoError : public Error {
 public:
  using Error::Error;
};

// Rethrows the exception in flight with `context + ": "` prepended, keeping its type when it is a
// finsent::Error subclass. Use inside a catch block: `catch (...) { rethrow_with_context("...");
// }`.
[[noreturn]] void rethrow_with_context(const std::string& context);

}  // namespace finsent
