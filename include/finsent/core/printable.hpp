// Making untrusted text (labels, texts, file names, request fields) safe to print on one line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace finsent {

// `text` with everything a terminal would act on shown as an escape instead: \t \n \r, other C0
// controls and DEL as \xNN (so ESC is "\x1b" and NUL is "\x00", and nothing after a NUL is lost),
// C1 controls and the bidirectional overrides/isolates (U+202A-U+202E, U+2066-U+2069) as \uNNNN,
// and each byte that is not part of valid UTF-8 as \xNN. Everything else is kept as it is.
std::string printable(std::string_view text);

// `text` cut to at most `max_chars` Unicode characters (never inside one), followed by
// " ... [N more characters left out]" when something was cut. `text` must be valid UTF-8 (as
// printable() returns).
std::string capped(std::string_view text, size_t max_chars);

// How many characters of an error message the CLI prints (see printable_message).
inline constexpr size_t kMaxMessageChars = 2000;

// printable(message) capped at kMaxMessageChars: what the CLI prints after "finsent: error: ".
std::string printable_message(std::string_view message);

}  // namespace finsent
