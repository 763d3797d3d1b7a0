// Readers for labelled text: the Financial PhraseBank format, CSV and TSV (as Python's csv module),
// JSONL.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "finsent/data/data_file.hpp"
#include "finsent/data/example.hpp"

namespace finsent::data {

// Where labelled text comes from. format "auto" picks by extension: .csv, .tsv, .jsonl/.json,
// anything else is read as PhraseBank (`sentence@label` lines, iso-8859-1).
struct DataSource {
  std::filesystem::path path;
  std::string format = "auto";  // auto | phrasebank | csv | tsv | jsonl
  std::string text_column = "text";
  std::string label_column = "label";
  uint64_t max_bytes = kDefaultMaxDataFileBytes;  // a larger file is refused (read_data_file)
};

// Reads every example in file order. Throws InputError "FILE:LINE: ..." for a missing or empty
// file, a file over source.max_bytes, a PhraseBank line without '@', a CSV/TSV header missing a
// column, a row with too few fields, malformed JSON, or an empty label. Never returns an empty
// vector.
std::vector<Example> load_examples(const DataSource& source);

// The PhraseBank parser on bytes already in memory: iso-8859-1 → UTF-8, lines end at CRLF or LF
// only, each line split at its last '@'. `name` prefixes error messages. Empty lines are skipped.
std::vector<Example> parse_phrasebank(std::string_view bytes, const std::string& name);

// Delimited text with a header row, split into records exactly as Python's csv.reader with the
// excel (',') or excel-tab ('\t') dialect on a file opened with newline='' (split_csv_records); a
// leading UTF-8 BOM is dropped (encoding='utf-8-sig'). Blank records are skipped (as DictReader).
// Columns are found by exact header name; the label is trimmed of whitespace. Throws InputError
// "FILE:LINE: ..." for a missing column, a row with too few fields, an empty label, invalid UTF-8,
// and a quoted field still open at the end of the file (which Python would silently extend to
// the end of the file).
std::vector<Example> parse_delimited(std::string_view bytes, char delimiter,
                                     const DataSource& source);

// One JSON object per line holding string fields text_column and label_column.
std::vector<Example> parse_jsonl(std::string_view bytes, const DataSource& source);

// The three labels of the PhraseBank; parse_phrasebank rejects any other.
bool is_phrasebank_label(std::string_view label);

}  // namespace finsent::data
