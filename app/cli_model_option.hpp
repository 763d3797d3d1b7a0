// `--model DIR|ID`: every command that loads a model takes a directory or a Hub id from the cache.
#pragma once

#include <CLI/CLI.hpp>

namespace finsent::app {

// A CLI11 transform that replaces the option's value by io::resolve_model(value): an existing
// path stays as it is, an `org/name` id becomes its snapshot in the Hugging Face cache. An id
// that is not cached throws ConfigError (one line telling to run `finsent download ID`).
CLI::Validator model_dir_or_hub_id();

}  // namespace finsent::app
