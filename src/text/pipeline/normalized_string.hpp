// NormalizedString: a text under normalization that knows, for every normalized byte, the original
// byte range it came from (tokenizers::NormalizedString, alignments per byte).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace finsent::text {

class Pattern;

// How Split keeps the delimiters (tokenizers' SplitDelimiterBehavior).
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// One change of a transformation: the new character and what it does to the character count
// (tokenizers' (char, isize) pairs): 0 replaces one character, +1 inserts one (it takes the
// alignment of the byte before it), -n replaces one and removes n more.
struct CharChange {
  char32_t c;
  int change;
};

class NormalizedString {
 public:
  using Offsets = std::pair<size_t, size_t>;
  NormalizedString() = default;
  // `text` is read as UTF-8; each maximal invalid subsequence becomes U+FFFD aligned to its bytes
  // (finsent's rule for invalid input, Python's errors="replace"). Every byte of a character is
  // aligned to the character's original range.
  explicit NormalizedString(std::string_view text, size_t original_shift = 0);

  const std::string& get() const { return normalized_; }
  bool empty() const { return normalized_.empty(); }
  size_t size() const { return normalized_.size(); }
  // Original range [begin, end) of every normalized byte, relative to this string's original.
  const std::vector<Offsets>& alignments() const { return alignments_; }
  // Where this string's original starts in the whole original text.
  size_t original_shift() const { return original_shift_; }
  size_t original_size() const { return original_size_; }

  // The original range of normalized bytes [begin, end), relative to this string's original
  // (tokenizers' convert_offsets(Range::Normalized)): an empty range is returned as is (the
  // reference's quirk); nullopt when the range is reversed or past the end.
  std::optional<Offsets> original_range(size_t begin, size_t end) const;

  // Replaces normalized bytes [begin, end) with `changes`, skipping `initial_offset` characters of
  // the range first (they are removed), exactly as tokenizers' transform_range.
  void transform_range(size_t begin, size_t end, const std::vector<CharChange>& changes,
                       size_t initial_offset);
  void transform(const std::vector<CharChange>& changes, size_t initial_offset) {
    transform_range(0, normalized_.size(), changes, initial_offset);
  }

  // Every byte b replaced by the one character table[b] (UTF-8): the result of transform() with
  // change 0 for the first byte of each character and +1 for its others (tokenizers' ByteLevel
  // pre-tokenizer), without building the changes.
  void replace_bytes(const std::array<std::string, 256>& table);

  // The usual normalizations, each as its tokenizers method.
  void nfd();
  void nfkd();
  void nfc();
  void nfkc();
  void lowercase();                   // Rust char::to_lowercase
  void strip(bool left, bool right);  // White_Space at either end
  void prepend(std::string_view s);   // before the first character; nothing on empty text
  void replace(const Pattern& pattern, std::string_view content);
  // Keeps the characters for which keep(c) is true.
  template <class Keep>
  void filter(Keep keep);
  // Replaces every character c by map(c) (same count).
  template <class Map>
  void map(Map f);

  // The pieces of this string around the pattern's matches, as tokenizers' split.
  std::vector<NormalizedString> split(const Pattern& pattern, SplitBehavior behavior) const;
  // The sub-string of normalized bytes [begin, end) with its alignments (tokenizers' slice).
  NormalizedString slice(size_t begin, size_t end) const;

  // The characters of the normalized text (decoded, valid UTF-8 by construction).
  std::vector<char32_t> chars() const;

 private:
  std::string normalized_;
  std::vector<Offsets> alignments_;
  size_t original_shift_ = 0, original_size_ = 0;
};

// Code points of `s` (valid UTF-8).
std::vector<char32_t> utf8_chars(std::string_view s);

template <class Keep>
void NormalizedString::filter(Keep keep) {
  // As tokenizers: a removed character is folded into the change of the next kept one (or the
  // last kept one when the removal is at the end).
  const std::vector<char32_t> cs = chars();
  std::vector<CharChange> out;
  out.reserve(cs.size());
  int removed = 0, removed_start = 0;
  std::optional<char32_t> last;
  for (char32_t c : cs) {
    if (keep(c)) {
      if (last)
        out.push_back({*last, -removed});
      else
        removed_start = removed;
      last = c;
      removed = 0;
    } else {
      ++removed;
    }
  }
  if (last) out.push_back({*last, -removed});
  transform(out, static_cast<size_t>(removed_start));
}

template <class Map>
void NormalizedString::map(Map f) {
  const std::vector<char32_t> cs = chars();
  std::vector<CharChange> out;
  out.reserve(cs.size());
  for (char32_t c : cs) out.push_back({f(c), 0});
  transform(out, 0);
}

}  // namespace finsent::text
