// Escaping for XML/HTML and CommonMark; the only place report text meets markup.
#include "finsent/report/escape.hpp"

#include <algorithm>
#include <cctype>

namespace finsent::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when it is malformed or truncated.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// U+FFFE and U+FFFF are not XML characters either (EF BF BE / EF BF BF).
bool is_xml_noncharacter(std::string_view s, size_t i, size_t n) {
  return n == 3 && static_cast<unsigned char>(s[i]) == 0xEF &&
         static_cast<unsigned char>(s[i + 1]) == 0xBF &&
         static_cast<unsigned char>(s[i + 2]) >= 0xBE;
}

// Characters that open a block (heading, quote, list, thematic break) at the start of a line.
bool is_block_marker(char c) {
  return c == '#' || c == '>' || c == '-' || c == '+';
}

std::string escape_markdown(std::string_view text, bool in_table_cell) {
  std::string out;
  out.reserve(text.size() + 8);
  // A leading block marker ("# x", "- x", "1. x") would turn the paragraph into a heading or list.
  size_t first = 0;
  while (first < text.size() && text[first] == ' ') ++first;
  size_t digits_end = first;
  while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end]))) {
    ++digits_end;
  }
  // "1." / "1)" opens an ordered list only when followed by a space or the end of the line.
  const bool ordered_marker = !in_table_cell && digits_end > first && digits_end - first <= 9 &&
                              digits_end < text.size() &&
                              (text[digits_end] == '.' || text[digits_end] == ')') &&
                              (digits_end + 1 == text.size() || text[digits_end + 1] == ' ');
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += ' ';
      continue;
    }
    const bool escape_here =
        c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' ||
        c == '>' || c == '~' || (in_table_cell && c == '|') ||
        (c == '&' && i + 1 < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '#')) ||
        (!in_table_cell && i == first && is_block_marker(c)) || (ordered_marker && i == digits_end);
    if (escape_here) out += '\\';
    out += c;
  }
  return out;
}

size_t longest_backtick_run(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (n > 1) {
      if (is_xml_noncharacter(text, i, n)) {
        out += kReplacement;
      } else {
        out.append(text.substr(i, n));
      }
      i += n;
      continue;
    }
    const char c = text[i++];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  return escape_markdown(text, false);
}

std::string markdown_cell(std::string_view text) {
  return escape_markdown(text, true);
}

std::string markdown_code_span(std::string_view text) {
  std::string body(text);
  std::replace(body.begin(), body.end(), '\n', ' ');
  std::replace(body.begin(), body.end(), '\r', ' ');
  const std::string fence(longest_backtick_run(body) + 1, '`');
  // CommonMark strips one space from each side when both are spaces, so pad in that case too.
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' ||
                                     (body.front() == ' ' && body.back() == ' '));
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string markdown_code_block(std::string_view text) {
  const std::string fence(std::max<size_t>(3, longest_backtick_run(text) + 1), '`');
  std::string out = fence + "\n";
  out.append(text);
  if (!text.empty() && text.back() != '\n') out += '\n';
  out += fence + "\n";
  return out;
}

}  // namespace finsent::report
