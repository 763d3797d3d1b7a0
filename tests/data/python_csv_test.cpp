// CSV/TSV records pinned to Python's csv module (excel / excel-tab) on a table of tricky inputs.
#include "finsent/data/python_csv.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "common/test_data.hpp"

namespace finsent::data {
namespace {

// The cases whose last quoted field is still open at the end of the input.
const std::set<std::string> kUnclosed = {"only_quote_open_at_end", "many_quotes"};

TEST(PythonCsv, RecordsEqualPythonsCsvReaderForEveryCaseAndDialect) {
  const auto ref = nlohmann::json::parse(
      testing::read_text(testing::fixture("data/python_csv_reference.json")))["cases"];
  ASSERT_GE(ref.size(), 30u);
  for (const auto& [name, dialects] : ref.items()) {
    for (const auto& [dialect, c] : dialects.items()) {
      const auto input = c["input"].get<std::string>();
      const char delimiter = c["delimiter"].get<std::string>().at(0);
      // csv.reader yields [] for a blank line; finsent omits those records.
      std::vector<std::vector<std::string>> expected;
      for (const auto& row : c["rows"])
        if (!row.empty()) expected.push_back(row.get<std::vector<std::string>>());
      const auto got = split_csv_records(input, delimiter);
      std::vector<std::vector<std::string>> fields;
      for (const auto& r : got.records) fields.push_back(r.fields);
      EXPECT_EQ(fields, expected) << name << " / " << dialect;
      EXPECT_EQ(got.unclosed_quote_line != 0, kUnclosed.contains(name)) << name << " / " << dialect;
    }
  }
}

TEST(PythonCsv, RecordLinesCountPhysicalLinesIncludingQuotedBreaks) {
  const auto got = split_csv_records("h1,h2\n\"a\nb\",x\r\n\nc,y\rd,z", ',');
  ASSERT_EQ(got.records.size(), 4u);
  EXPECT_EQ(got.records[0].line, 1u);
  EXPECT_EQ(got.records[1].line, 2u);  // spans lines 2-3
  EXPECT_EQ(got.records[2].line, 5u);  // after the blank line 4
  EXPECT_EQ(got.records[3].line, 6u);  // a lone CR ends a line, as in Python
  EXPECT_EQ(split_csv_records("h\n1\n\"open\nx\n", ',').unclosed_quote_line, 3u);
}

}  // namespace
}  // namespace finsent::data
