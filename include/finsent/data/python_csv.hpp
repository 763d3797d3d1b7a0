// Records of a delimited file split exactly as Python's csv.reader splits them (excel dialects).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace finsent::data {

// One record: its fields and the 1-based physical line it starts on.
struct CsvRecord {
  std::vector<std::string> fields;
  size_t line = 0;
};

struct CsvRecords {
  std::vector<CsvRecord> records;  // file order; blank lines are omitted (csv.reader yields [])
  // 0 when every quoted field was closed; else the line of the record whose quoted field was
  // still open at the end of the input (Python then keeps the rest of the file as that field).
  size_t unclosed_quote_line = 0;
};

// Splits UTF-8 `text` into records as CPython's _csv reader does with csv.excel (delimiter ',')
// or csv.excel_tab ('\t') on a file opened with newline='' and encoding='utf-8-sig' (a leading
// BOM is dropped): quotechar '"', doublequote, no escapechar, no skipinitialspace, strict off.
// So: lines end at "\r\n", "\r" or "\n" outside quotes; a field that opens with '"' is quoted,
// keeps delimiters and line breaks as they are, and "" inside it is one '"'; text after its
// closing quote is appended literally (`"ab"cd` reads `abcd`); a '"' anywhere in an unquoted
// field is a literal character; an empty line yields no record; "a," yields two fields, the
// second empty. NUL is an ordinary character (Python >= 3.11). Never throws.
CsvRecords split_csv_records(std::string_view text, char delimiter);

}  // namespace finsent::data
