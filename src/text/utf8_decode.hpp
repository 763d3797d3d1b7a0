// UTF-8 decoding with one documented rule for invalid input: each maximal invalid subpart is
// U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace finsent::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at text[i] and returns how many bytes it spans (>= 1).
// Ill-formed input yields U+FFFD for each maximal subpart of an ill-formed sequence (Unicode
// chapter 3, "U+FFFD substitution of maximal subparts"), which is what Python's
// bytes.decode("utf-8", errors="replace") does; surrogates and overlongs are ill-formed.
size_t decode_utf8(std::string_view text, size_t i, char32_t& cp);

// The code point that ends at text[end) (end > 0): decoded from the first byte before `end` that
// is not a continuation byte, within text[0, end); `start` receives that byte's index.
inline char32_t decode_utf8_before(std::string_view text, size_t end, size_t& start) {
  start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  char32_t cp;
  decode_utf8(text.substr(0, end), start, cp);
  return cp;
}

// Appends the UTF-8 encoding of a valid scalar value (U+0000..U+10FFFF, no surrogates).
void append_utf8(std::string& out, char32_t cp);

// Number of bytes append_utf8 writes for `cp`.
inline size_t utf8_length(char32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

}  // namespace finsent::text
