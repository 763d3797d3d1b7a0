// Dataset readers: PhraseBank (iso-8859-1, `sentence@label`), CSV/TSV as Python's csv module,
// JSONL.
#include "finsent/data/dataset.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/data/data_file.hpp"
#include "finsent/data/python_csv.hpp"

namespace finsent::data {
namespace {

std::string latin1_to_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (unsigned char c : in) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// Length of the valid UTF-8 prefix of s (s.size() when all of it is valid).
size_t valid_utf8_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2)) return i;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return i;
}

std::string_view trim(std::string_view s) {
  const auto* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string where(const std::string& name, size_t line) {
  return name + ":" + std::to_string(line);
}

// Calls fn(line, number) for each line, splitting on LF and CRLF only (a lone CR is text).
template <typename Fn>
void for_each_line(std::string_view bytes, Fn&& fn) {
  size_t number = 0;
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++number);
    start = end + 1;
  }
}

void check_utf8(std::string_view text, const std::string& at) {
  const size_t ok = valid_utf8_prefix(text);
  if (ok != text.size()) {
    throw InputError(at + ": invalid UTF-8 at byte " + std::to_string(ok) + " of the line");
  }
}

std::string_view strip_bom(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return bytes;
}

}  // namespace

bool is_phrasebank_label(std::string_view label) {
  return label == "positive" || label == "negative" || label == "neutral";
}

std::vector<Example> parse_phrasebank(std::string_view bytes, const std::string& name) {
  std::vector<Example> rows;
  for_each_line(bytes, [&](std::string_view line, size_t number) {
    if (trim(line).empty()) return;
    const size_t at = line.rfind('@');
    if (at == std::string_view::npos) {
      throw InputError(where(name, number) + ": expected 'sentence@label', found no '@'");
    }
    const std::string_view label = trim(line.substr(at + 1));
    if (!is_phrasebank_label(label)) {
      throw InputError(where(name, number) + ": unknown label '" + latin1_to_utf8(label) +
                       "' (expected positive, negative or neutral)");
    }
    rows.push_back({latin1_to_utf8(line.substr(0, at)), std::string(label)});
  });
  if (rows.empty()) throw InputError(name + ": no examples (only blank lines)");
  return rows;
}

std::vector<Example> parse_delimited(std::string_view bytes, char delimiter,
                                     const DataSource& source) {
  const std::string name = source.path.string();
  const CsvRecords split = split_csv_records(bytes, delimiter);
  if (split.unclosed_quote_line != 0) {
    throw InputError(where(name, split.unclosed_quote_line) +
                     ": quoted field never closed (Python's csv module would read the rest of the "
                     "file into it)");
  }
  const auto& records = split.records;
  if (records.empty()) throw InputError(name + ": no header row");

  const auto& header = records.front().fields;
  auto column = [&](const std::string& wanted) {
    auto it = std::find(header.begin(), header.end(), wanted);
    if (it == header.end()) {
      std::string have;
      for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
      throw InputError(where(name, records.front().line) + ": missing column '" + wanted +
                       "' (header has: " + have + ")");
    }
    return static_cast<size_t>(it - header.begin());
  };
  const size_t text_col = column(source.text_column);
  const size_t label_col = column(source.label_column);
  std::vector<Example> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r].fields;
    const std::string at = where(name, records[r].line);
    if (rec.size() <= std::max(text_col, label_col)) {
      throw InputError(at + ": row has " + std::to_string(rec.size()) + " fields, expected " +
                       std::to_string(header.size()));
    }
    check_utf8(rec[text_col], at);
    check_utf8(rec[label_col], at);
    std::string label(trim(rec[label_col]));
    if (label.empty())
      throw InputError(at + ": empty label in column '" + source.label_column + "'");
    rows.push_back({rec[text_col], std::move(label)});
  }
  if (rows.empty()) throw InputError(name + ": header only, no examples");
  return rows;
}

std::vector<Example> parse_jsonl(std::string_view bytes, const DataSource& source) {
  const std::string name = source.path.string();
  std::vector<Example> rows;
  for_each_line(strip_bom(bytes), [&](std::string_view line, size_t number) {
    if (trim(line).empty()) return;
    const std::string at = where(name, number);
    check_utf8(line, at);
    nlohmann::json obj;
    try {
      obj = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      // parse_error, and out_of_range for numbers beyond double such as 1e999 (found by fuzzing).
      throw InputError(at + ": malformed JSON (" + std::string(e.what()) + ")");
    }
    if (!obj.is_object()) throw InputError(at + ": expected a JSON object per line");
    auto field = [&](const std::string& key) -> std::string {
      auto it = obj.find(key);
      if (it == obj.end()) throw InputError(at + ": missing field '" + key + "'");
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
      throw InputError(at + ": field '" + key + "' must be a string");
    };
    std::string text = field(source.text_column);
    std::string label(trim(field(source.label_column)));
    if (label.empty())
      throw InputError(at + ": empty label in field '" + source.label_column + "'");
    rows.push_back({std::move(text), std::move(label)});
  });
  if (rows.empty()) throw InputError(name + ": no examples (only blank lines)");
  return rows;
}

std::vector<Example> load_examples(const DataSource& source) {
  const std::string bytes = read_data_file(source.path, source.max_bytes);
  std::string format = source.format;
  if (format == "auto") {
    const std::string ext = source.path.extension().string();
    format = ext == ".csv"                         ? "csv"
             : ext == ".tsv"                       ? "tsv"
             : (ext == ".jsonl" || ext == ".json") ? "jsonl"
                                                   : "phrasebank";
  }
  if (format == "phrasebank") return parse_phrasebank(bytes, source.path.string());
  if (format == "csv") return parse_delimited(bytes, ',', source);
  if (format == "tsv") return parse_delimited(bytes, '\t', source);
  if (format == "jsonl") return parse_jsonl(bytes, source);
  throw InputError("unknown data format '" + format + "' (expected phrasebank, csv, tsv or jsonl)");
}

}  // namespace finsent::data
