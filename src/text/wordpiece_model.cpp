// Greedy longest-match-first WordPiece over string_views into the normalized word.
#include "wordpiece_model.hpp"

#include <algorithm>

namespace finsent::text {
namespace {

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

size_t count_chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += !is_continuation_byte(c);
  return n;
}

// Largest char boundary <= limit (the word itself ends on a boundary).
size_t floor_boundary(std::string_view s, size_t limit) {
  if (limit >= s.size()) return s.size();
  while (limit > 0 && is_continuation_byte(s[limit])) --limit;
  return limit;
}

}  // namespace

void wordpiece_split(std::string_view word, const Vocab& vocab, int32_t unk_id,
                     size_t max_input_chars_per_word, std::vector<WordPiece>& out) {
  const auto whole = WordPiece{unk_id, 0, static_cast<uint32_t>(word.size())};
  // Every byte is at least a char, so only long words need counting.
  if (word.size() > max_input_chars_per_word && count_chars(word) > max_input_chars_per_word) {
    out.push_back(whole);
    return;
  }
  const size_t first = out.size();
  const size_t max_piece = vocab.max_piece_bytes();
  size_t start = 0;
  while (start < word.size()) {
    // Candidates longer than the longest vocabulary piece cannot match, so start from there.
    size_t end = floor_boundary(word, start + max_piece);
    std::optional<int32_t> id;
    while (end > start) {
      const std::string_view candidate = word.substr(start, end - start);
      id = start == 0 ? vocab.find(candidate) : vocab.find_continuation(candidate);
      if (id) break;
      --end;
      while (end > start && is_continuation_byte(word[end])) --end;
    }
    if (!id) {
      out.resize(first);
      out.push_back(whole);
      return;
    }
    out.push_back(WordPiece{*id, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
    start = end;
  }
}

}  // namespace finsent::text
