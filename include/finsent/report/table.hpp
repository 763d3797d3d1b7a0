// A plain table (header + rows of text) rendered as a CommonMark pipe table or an HTML table.
#pragma once

#include <string>
#include <vector>

namespace finsent::report {

enum class Align { Left, Right, Center };

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
  std::vector<Align> align;                    // per column; missing entries are Left
};

// Pipe table; cells are escaped (markdown_cell), so '|' or '*' in data cannot break the layout.
// Throws InputError when a row's cell count differs from the column count.
std::string table_markdown(const Table& table);

// <table> with <thead>/<tbody>, cells escaped, alignment as a class (num/center).
std::string table_html(const Table& table);

}  // namespace finsent::report
