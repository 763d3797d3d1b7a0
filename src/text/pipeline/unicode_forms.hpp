// Unicode normalization forms and case mapping as (character, change) sequences, the way
// unicode-normalization-alignments (used by tokenizers) reports them. Unicode data from utf8proc.
#pragma once

#include <vector>

#include "normalized_string.hpp"

namespace finsent::text {

// NFD (compat = false) or NFKD of `chars`: each character's decomposition, its first character
// with change 0 and the others +1, then canonical ordering of non-starter runs (the changes move
// with their characters).
std::vector<CharChange> decompose(const std::vector<char32_t>& chars, bool compat);
// NFC / NFKC: decompose, then canonical composition; a character that absorbs n following ones
// carries their changes minus n.
std::vector<CharChange> compose(const std::vector<char32_t>& chars, bool compat);
// Rust char::to_lowercase of every character, extra characters of a mapping with change +1.
std::vector<CharChange> lowercase(const std::vector<char32_t>& chars);

}  // namespace finsent::text
