// CSR row appends.
#include "finsent/baseline/sparse_matrix.hpp"

namespace finsent::baseline {

void SparseMatrix::add_row(const std::vector<std::pair<int32_t, double>>& entries) {
  for (const auto& [col, value] : entries) {
    indices.push_back(col);
    values.push_back(value);
  }
  row_ptr.push_back(static_cast<int64_t>(indices.size()));
}

}  // namespace finsent::baseline
