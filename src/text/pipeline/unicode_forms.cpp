// NFD/NFKD/NFC/NFKC and lowercase with per-character change marks.
#include "unicode_forms.hpp"

#include <utf8proc.h>

#include <algorithm>

namespace finsent::text {
namespace {

uint8_t combining_class(char32_t c) {
  if (c < 0x300) return 0;
  return static_cast<uint8_t>(
      utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class);
}

// The canonical composite of (a, b), or 0 when there is none.
char32_t compose_pair(char32_t a, char32_t b) {
  utf8proc_int32_t buffer[2] = {static_cast<utf8proc_int32_t>(a), static_cast<utf8proc_int32_t>(b)};
  const utf8proc_ssize_t n = utf8proc_normalize_utf32(
      buffer, 2, static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
  return n == 1 ? static_cast<char32_t>(buffer[0]) : 0;
}

}  // namespace

std::vector<CharChange> decompose(const std::vector<char32_t>& chars, bool compat) {
  std::vector<CharChange> out;
  out.reserve(chars.size());
  std::vector<uint8_t> ccc;
  size_t run_start = 0;
  const auto flush_run = [&](size_t run_end) {
    std::vector<size_t> order(run_end - run_start);
    for (size_t i = 0; i < order.size(); ++i) order[i] = run_start + i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return ccc[a] < ccc[b]; });
    std::vector<CharChange> sorted;
    std::vector<uint8_t> sorted_ccc;
    for (size_t i : order) {
      sorted.push_back(out[i]);
      sorted_ccc.push_back(ccc[i]);
    }
    std::copy(sorted.begin(), sorted.end(), out.begin() + static_cast<std::ptrdiff_t>(run_start));
    std::copy(sorted_ccc.begin(), sorted_ccc.end(),
              ccc.begin() + static_cast<std::ptrdiff_t>(run_start));
  };
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (compat ? UTF8PROC_COMPAT : 0));
  for (char32_t c : chars) {
    utf8proc_int32_t buffer[32];
    utf8proc_ssize_t n = 1;
    buffer[0] = static_cast<utf8proc_int32_t>(c);
    if (c >= 0x80) {
      int boundclass = 0;
      n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buffer, 32, options,
                                  &boundclass);
      if (n <= 0 || n > 32) {
        buffer[0] = static_cast<utf8proc_int32_t>(c);
        n = 1;
      }
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      const auto d = static_cast<char32_t>(buffer[k]);
      const uint8_t cc = combining_class(d);
      if (cc == 0) {
        if (out.size() > run_start + 1) flush_run(out.size());
        run_start = out.size() + 1;
      }
      out.push_back({d, k > 0 ? 1 : 0});
      ccc.push_back(cc);
    }
  }
  if (out.size() > run_start + 1) flush_run(out.size());
  return out;
}

std::vector<CharChange> compose(const std::vector<char32_t>& chars, bool compat) {
  std::vector<CharChange> d = decompose(chars, compat);
  std::vector<CharChange> out;
  out.reserve(d.size());
  // Canonical composition (UAX #15): a character combines with the last starter unless blocked
  // by a character in between with a combining class of 0 or >= its own.
  std::optional<size_t> starter;
  uint8_t last_ccc = 0;
  for (const CharChange& cc : d) {
    const uint8_t ccc = combining_class(cc.c);
    // Every canonical composition's second character is U+0300 or above.
    if (starter && cc.c >= 0x300) {
      const bool blocked = out.size() - 1 != *starter && (last_ccc == 0 || last_ccc >= ccc);
      if (!blocked) {
        if (const char32_t composite = compose_pair(out[*starter].c, cc.c)) {
          out[*starter].c = composite;
          out[*starter].change += cc.change - 1;
          continue;
        }
      }
    }
    if (ccc == 0) starter = out.size();
    last_ccc = ccc;
    out.push_back(cc);
  }
  return out;
}

std::vector<CharChange> lowercase(const std::vector<char32_t>& chars) {
  std::vector<CharChange> out;
  out.reserve(chars.size());
  for (char32_t c : chars) {
    if (c < 0x80) {
      out.push_back({c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c, 0});
    } else if (c == 0x130) {
      // The one full lowercase mapping longer than one character: I WITH DOT ABOVE -> i + U+0307.
      out.push_back({U'i', 0});
      out.push_back({0x307, 1});
    } else {
      out.push_back({static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))), 0});
    }
  }
  return out;
}

}  // namespace finsent::text
