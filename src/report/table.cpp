// Tables as CommonMark pipe tables and as HTML.
#include "finsent/report/table.hpp"

#include "finsent/core/error.hpp"
#include "finsent/report/escape.hpp"

namespace finsent::report {
namespace {

void check_shape(const Table& table) {
  for (size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r].size() != table.columns.size()) {
      throw InputError("table row " + std::to_string(r + 1) + " has " +
                       std::to_string(table.rows[r].size()) + " cells for " +
                       std::to_string(table.columns.size()) + " columns");
    }
  }
}

Align align_of(const Table& table, size_t column) {
  return column < table.align.size() ? table.align[column] : Align::Left;
}

}  // namespace

std::string table_markdown(const Table& table) {
  check_shape(table);
  std::string out = "|";
  for (const std::string& c : table.columns) out.append(" ").append(markdown_cell(c)).append(" |");
  out += "\n|";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    switch (align_of(table, i)) {
      case Align::Left:
        out += " --- |";
        break;
      case Align::Right:
        out += " ---: |";
        break;
      case Align::Center:
        out += " :---: |";
        break;
    }
  }
  out += "\n";
  for (const auto& row : table.rows) {
    out += "|";
    // An empty cell still needs a character between the pipes to read well in plain text.
    for (const std::string& cell : row) out.append(" ").append(markdown_cell(cell)).append(" |");
    out += "\n";
  }
  return out;
}

std::string table_html(const Table& table) {
  check_shape(table);
  const auto cls = [&](size_t i) -> std::string {
    switch (align_of(table, i)) {
      case Align::Right:
        return " class=\"num\"";
      case Align::Center:
        return " class=\"center\"";
      case Align::Left:
        break;
    }
    return "";
  };
  std::string out = "<table>\n<thead><tr>";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out.append("<th")
        .append(cls(i))
        .append(">")
        .append(xml_escape(table.columns[i]))
        .append("</th>");
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      out.append("<td").append(cls(i)).append(">").append(xml_escape(row[i])).append("</td>");
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

}  // namespace finsent::report
