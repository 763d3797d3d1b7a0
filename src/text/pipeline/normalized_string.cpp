// NormalizedString's alignment bookkeeping, mirroring tokenizers/src/tokenizer/normalizer.rs.
#include "normalized_string.hpp"

#include <algorithm>

#include "../bert_normalizer.hpp"
#include "../utf8_decode.hpp"
#include "pattern.hpp"
#include "unicode_forms.hpp"

namespace finsent::text {

std::vector<char32_t> utf8_chars(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    i += decode_utf8(s, i, c);
    out.push_back(c);
  }
  return out;
}

NormalizedString::NormalizedString(std::string_view text, size_t original_shift)
    : original_shift_(original_shift), original_size_(text.size()) {
  normalized_.reserve(text.size());
  alignments_.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII: the byte itself
      normalized_.push_back(text[i]);
      alignments_.emplace_back(i, i + 1);
      ++i;
      continue;
    }
    char32_t c;
    const size_t n = decode_utf8(text, i, c);
    const size_t before = normalized_.size();
    append_utf8(normalized_, c);
    alignments_.insert(alignments_.end(), normalized_.size() - before, Offsets(i, i + n));
    i += n;
  }
}

std::vector<char32_t> NormalizedString::chars() const {
  return utf8_chars(normalized_);
}

std::optional<NormalizedString::Offsets> NormalizedString::original_range(size_t begin,
                                                                          size_t end) const {
  if (begin == end) return Offsets(begin, end);
  if (begin > end || end > alignments_.size()) return std::nullopt;
  return Offsets(alignments_[begin].first, alignments_[end - 1].second);
}

void NormalizedString::transform_range(size_t begin, size_t end,
                                       const std::vector<CharChange>& changes,
                                       size_t initial_offset) {
  const std::vector<char32_t> replaced =
      utf8_chars(std::string_view(normalized_).substr(begin, end - begin));
  size_t next = 0;  // next replaced character
  size_t offset = begin;
  for (; next < std::min(initial_offset, replaced.size()); ++next)
    offset += utf8_length(replaced[next]);
  std::string text;
  std::vector<Offsets> aligns;
  text.reserve(end - begin);
  aligns.reserve(end - begin);
  for (const CharChange& cc : changes) {
    Offsets align(0, 0);
    if (cc.change > 0) {
      if (offset >= 1) align = alignments_[offset - 1];
    } else if (offset < alignments_.size()) {
      align = alignments_[offset];
    }
    if (cc.change <= 0 && next < replaced.size()) offset += utf8_length(replaced[next++]);
    for (int k = 0; k < -cc.change && next < replaced.size(); ++k) {
      offset += utf8_length(replaced[next++]);
    }
    const size_t before = text.size();
    append_utf8(text, cc.c);
    aligns.insert(aligns.end(), text.size() - before, align);
  }
  normalized_.replace(begin, end - begin, text);
  alignments_.erase(alignments_.begin() + static_cast<std::ptrdiff_t>(begin),
                    alignments_.begin() + static_cast<std::ptrdiff_t>(end));
  alignments_.insert(alignments_.begin() + static_cast<std::ptrdiff_t>(begin), aligns.begin(),
                     aligns.end());
}

void NormalizedString::replace_bytes(const std::array<std::string, 256>& table) {
  size_t out_size = 0;
  for (const char b : normalized_) out_size += table[static_cast<unsigned char>(b)].size();
  std::string text(out_size, '\0');
  std::vector<Offsets> aligns(out_size);
  size_t o = 0;
  for (size_t i = 0; i < normalized_.size();) {
    char32_t unused;
    const size_t len =
        static_cast<unsigned char>(normalized_[i]) < 0x80 ? 1 : decode_utf8(normalized_, i, unused);
    for (size_t k = 0; k < len; ++k) {
      // As transform: the first byte's character takes the alignment at the character's start,
      // the others (change +1) the one just before the offset, the character's last byte.
      const std::string& c = table[static_cast<unsigned char>(normalized_[i + k])];
      const Offsets align = alignments_[k == 0 ? i : i + len - 1];
      for (const char byte : c) {
        text[o] = byte;
        aligns[o++] = align;
      }
    }
    i += len;
  }
  normalized_ = std::move(text);
  alignments_ = std::move(aligns);
}

namespace {

// ASCII text is its own NFC/NFD/NFKC/NFKD (and the transform would keep every alignment).
bool is_ascii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

void NormalizedString::nfd() {
  if (!is_ascii(normalized_)) transform(decompose(chars(), false), 0);
}
void NormalizedString::nfkd() {
  if (!is_ascii(normalized_)) transform(decompose(chars(), true), 0);
}
void NormalizedString::nfc() {
  if (!is_ascii(normalized_)) transform(compose(chars(), false), 0);
}
void NormalizedString::nfkc() {
  if (!is_ascii(normalized_)) transform(compose(chars(), true), 0);
}
void NormalizedString::lowercase() {
  transform(text::lowercase(chars()), 0);
}

void NormalizedString::strip(bool left, bool right) {
  const std::vector<char32_t> cs = chars();
  size_t leading = 0, trailing = 0;
  if (left) {
    while (leading < cs.size() && is_unicode_whitespace(cs[leading])) ++leading;
  }
  if (right && leading < cs.size()) {
    while (trailing < cs.size() - leading && is_unicode_whitespace(cs[cs.size() - 1 - trailing])) {
      ++trailing;
    }
  }
  if (leading == 0 && trailing == 0) return;
  // As tokenizers' lrstrip: the kept characters with change 0, the last one absorbing the
  // trailing removals.
  std::vector<CharChange> out;
  for (size_t i = leading; i < cs.size() - trailing; ++i) {
    const bool last = i + 1 == cs.size() - trailing;
    out.push_back({cs[i], last ? -static_cast<int>(trailing) : 0});
  }
  transform(out, leading);
}

void NormalizedString::prepend(std::string_view s) {
  if (normalized_.empty()) return;
  char32_t first;
  const size_t n = decode_utf8(normalized_, 0, first);
  std::vector<CharChange> out;
  bool head = true;
  for (char32_t c : utf8_chars(s)) {
    out.push_back({c, head ? 0 : 1});
    head = false;
  }
  out.push_back({first, 1});
  transform_range(0, n, out, 0);
}

void NormalizedString::replace(const Pattern& pattern, std::string_view content) {
  const std::vector<PatternMatch> matches = pattern.find_matches(normalized_);
  const std::vector<char32_t> insert = utf8_chars(content);
  // Right to left, so earlier byte positions stay valid; each match is transform_range(match,
  // content with change +1 per character, initial_offset = characters of the match).
  for (auto m = matches.rbegin(); m != matches.rend(); ++m) {
    if (!m->is_match) continue;
    const size_t removed =
        utf8_chars(std::string_view(normalized_).substr(m->begin, m->end - m->begin)).size();
    std::vector<CharChange> out;
    for (char32_t c : insert) out.push_back({c, 1});
    transform_range(m->begin, m->end, out, removed);
  }
}

NormalizedString NormalizedString::slice(size_t begin, size_t end) const {
  NormalizedString out;
  const auto range = original_range(begin, end);
  const size_t o_begin = range ? range->first : 0;
  out.original_shift_ = original_shift_ + o_begin;
  out.original_size_ = range ? range->second - range->first : 0;
  out.normalized_ = normalized_.substr(begin, end - begin);
  out.alignments_.resize(end - begin);
  for (size_t i = begin; i < end; ++i) {
    out.alignments_[i - begin] = {alignments_[i].first - o_begin, alignments_[i].second - o_begin};
  }
  return out;
}

std::vector<NormalizedString> NormalizedString::split(const Pattern& pattern,
                                                      SplitBehavior behavior) const {
  std::vector<PatternMatch> matches = pattern.find_matches(normalized_);
  struct Piece {
    size_t begin, end;
    bool remove;
  };
  std::vector<Piece> pieces;
  bool previous = false;
  switch (behavior) {
    case SplitBehavior::Isolated:
      for (const auto& m : matches) pieces.push_back({m.begin, m.end, false});
      break;
    case SplitBehavior::Removed:
      for (const auto& m : matches) pieces.push_back({m.begin, m.end, m.is_match});
      break;
    case SplitBehavior::Contiguous:
      for (const auto& m : matches) {
        if (m.is_match == previous && !pieces.empty())
          pieces.back().end = m.end;
        else
          pieces.push_back({m.begin, m.end, false});
        previous = m.is_match;
      }
      break;
    case SplitBehavior::MergedWithPrevious:
      for (const auto& m : matches) {
        if (m.is_match && !previous && !pieces.empty())
          pieces.back().end = m.end;
        else
          pieces.push_back({m.begin, m.end, false});
        previous = m.is_match;
      }
      break;
    case SplitBehavior::MergedWithNext:
      for (auto m = matches.rbegin(); m != matches.rend(); ++m) {
        if (m->is_match && !previous && !pieces.empty())
          pieces.back().begin = m->begin;
        else
          pieces.push_back({m->begin, m->end, false});
        previous = m->is_match;
      }
      std::reverse(pieces.begin(), pieces.end());
      break;
  }
  std::vector<NormalizedString> out;
  out.reserve(pieces.size());
  for (const auto& p : pieces) {
    if (!p.remove) out.push_back(slice(p.begin, p.end));
  }
  return out;
}

}  // namespace finsent::text
