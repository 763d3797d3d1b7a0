// The data flags every dataset-reading command shares (--data, --format, columns, split options).
#pragma once

#include <CLI/CLI.hpp>

#include "finsent/data/dataset.hpp"
#include "finsent/data/split.hpp"

namespace finsent::app {

struct DataOptions {
  data::DataSource source;
  data::SplitOptions split;
};

// Adds --data FILE, --format, --text-column, --label-column, --max-data-bytes, --seed,
// --test-ratio, --stratify.
void add_data_options(CLI::App* cmd, DataOptions& options, bool data_required = true);

// Loads the file and splits it as the options say.
data::Split load_split(const DataOptions& options);

}  // namespace finsent::app
