// The data flags every dataset-reading command shares (--data, --format, columns, split options).
#pragma once

#include <CLI/CLI.hpp>

#include "finsent/pipeline/prepare_data.hpp"

namespace finsent::app {

using pipeline::DataOptions;
using pipeline::load_split;

// Adds --data FILE, --format, --text-column, --label-column, --max-data-bytes, --seed,
// --test-ratio, --stratify.
void add_data_options(CLI::App* cmd, DataOptions& options, bool data_required = true);

}  // namespace finsent::app
