// Compressed sparse rows: the document-term matrices of the baseline (never dense vocab x docs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace finsent::baseline {

struct SparseMatrix {
  int64_t cols = 0;
  std::vector<int64_t> row_ptr{0};  // rows() + 1 entries
  std::vector<int32_t> indices;     // column of each stored value, ascending within a row
  std::vector<double> values;

  std::size_t rows() const { return row_ptr.size() - 1; }
  // Appends a row from (column, value) pairs sorted by column.
  void add_row(const std::vector<std::pair<int32_t, double>>& entries);
};

}  // namespace finsent::baseline
