// A port of the state machine of CPython's Modules/_csv.c (Reader_iternext / parse_process_char)
// for the excel dialects: same states, same transitions, so the same records for any input.
#include "finsent/data/python_csv.hpp"

#include <utility>

namespace finsent::data {
namespace {

constexpr char kQuote = '"';

enum class State { StartRecord, StartField, InField, InQuotedField, QuoteInQuotedField, EatCrnl };

class Reader {
 public:
  explicit Reader(char delimiter) : delimiter_(delimiter) {}

  // One character of a line (its terminator included), as parse_process_char(c).
  void process(char c) {
    switch (state_) {
      case State::StartRecord:
        if (c == '\n' || c == '\r') {
          state_ = State::EatCrnl;
          return;
        }
        state_ = State::StartField;
        [[fallthrough]];
      case State::StartField:
        if (c == '\n' || c == '\r') {
          save_field();
          state_ = State::EatCrnl;
        } else if (c == kQuote) {
          state_ = State::InQuotedField;
        } else if (c == delimiter_) {
          save_field();
        } else {
          field_.push_back(c);
          state_ = State::InField;
        }
        return;
      case State::InField:
        if (c == '\n' || c == '\r') {
          save_field();
          state_ = State::EatCrnl;
        } else if (c == delimiter_) {
          save_field();
          state_ = State::StartField;
        } else {
          field_.push_back(c);
        }
        return;
      case State::InQuotedField:
        if (c == kQuote) {
          state_ = State::QuoteInQuotedField;
        } else {
          field_.push_back(c);
        }
        return;
      case State::QuoteInQuotedField:
        process_after_quote(c);
        return;
      case State::EatCrnl:
        return;  // only '\r' or '\n' can follow here: lines end at them
    }
  }

  // The end of a line, as parse_process_char(EOL). True when a record is complete.
  bool end_of_line() {
    switch (state_) {
      case State::StartRecord:
        return true;  // an empty line: csv.reader yields []
      case State::StartField:
      case State::InField:
      case State::QuoteInQuotedField:
        save_field();
        state_ = State::StartRecord;
        return true;
      case State::InQuotedField:
        return false;  // the quoted field goes on over the line break
      case State::EatCrnl:
        state_ = State::StartRecord;
        return true;
    }
    return true;
  }

  bool in_quoted_field() const { return state_ == State::InQuotedField; }
  void save_field() {
    fields_.push_back(std::move(field_));
    field_.clear();
  }
  std::vector<std::string> take_fields() { return std::exchange(fields_, {}); }

 private:
  void process_after_quote(char c) {
    if (c == kQuote) {
      field_.push_back(c);  // "" is one '"'
      state_ = State::InQuotedField;
    } else if (c == delimiter_) {
      save_field();
      state_ = State::StartField;
    } else if (c == '\n' || c == '\r') {
      save_field();
      state_ = State::EatCrnl;
    } else {
      field_.push_back(c);  // strict=False: text after the closing quote is kept
      state_ = State::InField;
    }
  }

  char delimiter_;
  State state_ = State::StartRecord;
  std::string field_;
  std::vector<std::string> fields_;
};

// Length of the line starting at `start`, terminator included: io's newline='' splits at "\r\n",
// "\r" and "\n".
size_t line_length(std::string_view text, size_t start) {
  const size_t end = text.find_first_of("\r\n", start);
  if (end == std::string_view::npos) return text.size() - start;
  if (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') return end + 2 - start;
  return end + 1 - start;
}

}  // namespace

CsvRecords split_csv_records(std::string_view text, char delimiter) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // encoding='utf-8-sig'
  CsvRecords out;
  Reader reader(delimiter);
  size_t line = 0;
  size_t record_line = 1;
  size_t start = 0;
  while (start < text.size()) {
    const size_t length = line_length(text, start);
    ++line;
    for (char c : text.substr(start, length)) reader.process(c);
    start += length;
    if (!reader.end_of_line()) continue;
    auto fields = reader.take_fields();
    if (!fields.empty()) out.records.push_back({std::move(fields), record_line});
    record_line = line + 1;
  }
  if (reader.in_quoted_field()) {
    // Reader_iternext at end of input, strict=False: the open field is saved as it stands.
    reader.save_field();
    out.records.push_back({reader.take_fields(), record_line});
    out.unclosed_quote_line = record_line;
  }
  return out;
}

}  // namespace finsent::data
