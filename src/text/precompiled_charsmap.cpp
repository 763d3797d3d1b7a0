// SentencePiece's compiled charsmap: darts-clone trie lookup and the reference's grapheme-wise
// replacement with alignments.
#include "precompiled_charsmap.hpp"

#include <openssl/evp.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstddef>
#include <utility>

#include "finsent/core/error.hpp"
#include "utf8_decode.hpp"

namespace finsent::text {
namespace {

// darts-clone unit accessors (spm_precompiled's DoubleArray).
bool has_leaf(uint32_t unit) {
  return ((unit >> 8) & 1) != 0;
}
uint32_t value(uint32_t unit) {
  return unit & ((1u << 31) - 1);
}
uint32_t label(uint32_t unit) {
  return unit & ((1u << 31) | 0xFF);
}
uint32_t offset(uint32_t unit) {
  return (unit >> 10) << ((unit & (1u << 9)) >> 6);
}

using Transformation = PrecompiledCharsmap::Change;

// tokenizers::normalizers::precompiled::replace.
void replace(std::vector<Transformation>& out, size_t old_count, std::string_view new_part) {
  size_t new_count = 0;
  for (size_t i = 0; i < new_part.size();) {
    char32_t cp;
    i += decode_utf8(new_part, i, cp);
    out.emplace_back(cp, 0);
    ++new_count;
  }
  const auto diff = static_cast<int64_t>(new_count) - static_cast<int64_t>(old_count);
  if (diff > 0) {
    for (size_t k = 0; k < static_cast<size_t>(diff); ++k) out[out.size() - 1 - k].second = 1;
  } else if (diff < 0 && !out.empty()) {
    out.back().second += diff;
  }
}

// NormalizedString::transform over the whole string, on characters instead of bytes.
void apply(const std::vector<Transformation>& transformations, const std::vector<NormChar>& in,
           std::vector<NormChar>& out) {
  out.clear();
  size_t consumed = 0;
  for (const auto& [cp, change] : transformations) {
    NormChar c{cp, 0, 0};
    if (change > 0) {
      if (consumed > 0) {
        c.begin = in[consumed - 1].begin;
        c.end = in[consumed - 1].end;
      } else if (!in.empty()) {
        c.begin = c.end = in.front().begin;
      }
    } else {
      if (consumed >= in.size()) break;  // unreachable for well-formed transformations
      c.begin = in[consumed].begin;
      c.end = in[consumed].end;
      consumed += 1 + static_cast<size_t>(-change);
    }
    out.push_back(c);
  }
}

}  // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string blob) : blob_(std::move(blob)) {
  if (blob_.empty()) return;
  if (blob_.size() < 4) throw TokenizerError("precompiled_charsmap is shorter than its header");
  uint32_t trie_size = 0;
  for (int i = 3; i >= 0; --i) trie_size = (trie_size << 8) | static_cast<unsigned char>(blob_[i]);
  if (trie_size % 4 != 0 || trie_size > blob_.size() - 4 || trie_size == 0) {
    throw TokenizerError("precompiled_charsmap: trie size " + std::to_string(trie_size) +
                         " does not fit the " + std::to_string(blob_.size()) + "-byte blob");
  }
  trie_.resize(trie_size / 4);
  for (size_t i = 0; i < trie_.size(); ++i) {
    const auto* p = reinterpret_cast<const unsigned char*>(blob_.data() + 4 + 4 * i);
    trie_[i] = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  }
  normalized_ = std::string_view(blob_).substr(4 + trie_size);
}

std::optional<std::string_view> PrecompiledCharsmap::transform(std::string_view chunk) const {
  if (trie_.empty()) return std::nullopt;
  size_t node = offset(trie_[0]);
  for (const char ch : chunk) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) break;
    node ^= c;
    if (node >= trie_.size()) return std::nullopt;
    const uint32_t unit = trie_[node];
    if (label(unit) != c) return std::nullopt;
    node ^= offset(unit);
    if (node >= trie_.size()) return std::nullopt;
    if (has_leaf(unit)) {
      const size_t index = value(trie_[node]);
      if (index >= normalized_.size()) return std::nullopt;
      const size_t stop = normalized_.find('\0', index);
      return normalized_.substr(index, stop == std::string_view::npos ? stop : stop - index);
    }
  }
  return std::nullopt;
}

bool PrecompiledCharsmap::transformations(const std::vector<char32_t>& chars,
                                          std::vector<Change>& out) const {
  out.clear();
  if (trie_.empty() || chars.empty()) return false;
  out.reserve(chars.size() + 8);
  std::string grapheme, part;
  bool modified = false;
  utf8proc_int32_t state = 0;
  for (size_t g = 0; g < chars.size();) {
    size_t e = g + 1;
    while (e < chars.size() &&
           !utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(chars[e - 1]),
                                             static_cast<utf8proc_int32_t>(chars[e]), &state)) {
      ++e;
    }
    grapheme.clear();
    for (size_t i = g; i < e; ++i) append_utf8(grapheme, chars[i]);
    std::optional<std::string_view> norm;
    if (grapheme.size() < 6 && (norm = transform(grapheme))) {
      modified = true;
      replace(out, e - g, *norm);
    } else {
      for (size_t i = g; i < e; ++i) {
        part.clear();
        append_utf8(part, chars[i]);
        if ((norm = transform(part))) {
          modified = true;
          replace(out, 1, *norm);
        } else {
          out.emplace_back(chars[i], 0);
        }
      }
    }
    g = e;
  }
  return modified;
}

void PrecompiledCharsmap::normalize(std::vector<NormChar>& chars,
                                    std::vector<NormChar>& scratch) const {
  std::vector<char32_t> cps(chars.size());
  for (size_t i = 0; i < chars.size(); ++i) cps[i] = chars[i].cp;
  std::vector<Change> changes;
  if (!transformations(cps, changes)) return;
  apply(changes, chars, scratch);
  chars.swap(scratch);
}

PrecompiledCharsmap PrecompiledCharsmap::from_base64(std::string_view text) {
  const auto valid = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
  };
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  const bool ok = text.size() % 4 == 0 && text.size() <= (size_t{1} << 31) &&
                  std::all_of(text.begin(), text.end() - static_cast<std::ptrdiff_t>(pad), valid);
  if (!ok) throw TokenizerError("Precompiled: precompiled_charsmap is not base64");
  std::string blob(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(blob.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw TokenizerError("Precompiled: precompiled_charsmap is not base64");
  blob.resize(static_cast<size_t>(n) - pad);
  return PrecompiledCharsmap(std::move(blob));
}

}  // namespace finsent::text
