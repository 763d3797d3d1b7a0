// Strict UTF-8 validation shared by the checkpoint readers and writers.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace finsent::io::detail {

// The offset of the first byte that is not part of well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF), or nullopt when all of `text` is well-formed.
std::optional<size_t> invalid_utf8_at(std::string_view text);

}  // namespace finsent::io::detail
