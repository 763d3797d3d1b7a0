// Added-token matching as tokenizers' AddedVocabulary::find_matches (leftmost-longest, then the
// single_word / lstrip / rstrip rules).
#include "added_vocabulary.hpp"

#include <utf8proc.h>
#include <algorithm>

#include "../bert_normalizer.hpp"
#include "../utf8_decode.hpp"

namespace finsent::text {
namespace {

// tokenizers' is_word_character: alphanumeric (Rust char::is_alphanumeric) or '_'.
bool is_word_char(char32_t c) {
  if (c == '_') return true;
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
}

char32_t last_char(std::string_view s) {
  size_t start;
  return decode_utf8_before(s, s.size(), start);
}

char32_t first_char(std::string_view s) {
  char32_t c;
  decode_utf8(s, 0, c);
  return c;
}

}  // namespace

AddedVocabulary::AddedVocabulary(std::vector<AddedTokenSpec> tokens, const Normalizer* normalizer)
    : tokens_(std::move(tokens)) {
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const AddedTokenSpec& t = tokens_[i];
    max_id_ = std::max(max_id_, t.id);
    if (t.content.empty()) continue;
    if (t.normalized) {
      NormalizedString n(t.content);
      if (normalizer) normalizer->normalize(n);
      if (!n.empty()) normalized_.patterns.emplace_back(n.get(), i);
    } else {
      raw_.patterns.emplace_back(t.content, i);
    }
  }
  for (Matcher* m : {&raw_, &normalized_}) {
    std::stable_sort(m->patterns.begin(), m->patterns.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    for (size_t k = 0; k < m->patterns.size(); ++k) m->add(k);
  }
  for (size_t i = 0; i < tokens_.size(); ++i) by_id_.emplace(tokens_[i].id, i);
}

void AddedVocabulary::Matcher::add(size_t k) {
  if (nodes.empty()) nodes.emplace_back();
  uint32_t node = 0;
  for (const char c : patterns[k].first) {
    const auto b = static_cast<unsigned char>(c);
    uint32_t child = nodes[node].child(b);
    if (child == 0) {
      child = static_cast<uint32_t>(nodes.size());
      nodes[node].children.emplace_back(b, child);
      nodes.emplace_back();
    }
    node = child;
  }
  if (nodes[node].pattern < 0) nodes[node].pattern = static_cast<int64_t>(k);  // first one wins
}

uint32_t AddedVocabulary::Matcher::Node::child(unsigned char b) const {
  for (const auto& [byte, index] : children) {
    if (byte == b) return index;
  }
  return 0;
}

std::optional<std::pair<size_t, size_t>> AddedVocabulary::Matcher::leftmost_longest(
    std::string_view text, size_t from) const {
  for (size_t pos = from; pos < text.size(); ++pos) {
    // Walk the trie from this byte; the deepest pattern on the way is the longest match here.
    int64_t best = -1;
    uint32_t node = 0;
    for (size_t i = pos; i < text.size(); ++i) {
      node = nodes[node].child(static_cast<unsigned char>(text[i]));
      if (node == 0) break;
      if (nodes[node].pattern >= 0) best = nodes[node].pattern;
    }
    if (best >= 0) return std::pair{pos, static_cast<size_t>(best)};
  }
  return std::nullopt;
}

void AddedVocabulary::split_with(NormalizedString&& s, const Matcher& m,
                                 std::vector<Split>& out) const {
  const std::string& text = s.get();
  if (m.patterns.empty() || text.empty()) {
    out.push_back({std::move(s), std::nullopt});
    return;
  }
  size_t start_offset = 0, search = 0;
  const auto push_text = [&](size_t b, size_t e) { out.push_back({s.slice(b, e), std::nullopt}); };
  while (search < text.size()) {
    // Leftmost, then longest (Aho-Corasick MatchKind::LeftmostLongest), non-overlapping.
    const auto match = m.leftmost_longest(text, search);
    if (!match) break;
    const auto [best_pos, best] = *match;
    const AddedTokenSpec& t = tokens_[m.patterns[best].second];
    size_t start = best_pos, stop = best_pos + m.patterns[best].first.size();
    search = stop;
    if (t.single_word) {
      const bool start_space =
          start == 0 || !is_word_char(last_char(std::string_view(text).substr(0, start)));
      const bool stop_space =
          stop == text.size() || !is_word_char(first_char(std::string_view(text).substr(stop)));
      if (!start_space || !stop_space) continue;
    }
    if (t.lstrip) {
      size_t b = start;
      while (b > 0) {
        size_t p;
        if (!is_unicode_whitespace(decode_utf8_before(text, b, p))) break;
        b = p;
      }
      start = std::max(b, start_offset);
    }
    if (t.rstrip) {
      while (stop < text.size()) {
        char32_t c;
        const size_t n = decode_utf8(text, stop, c);
        if (!is_unicode_whitespace(c)) break;
        stop += n;
      }
    }
    if (start_offset < start) push_text(start_offset, start);
    NormalizedString piece = s.slice(start, stop);
    const auto len = static_cast<uint32_t>(piece.size());
    out.push_back({std::move(piece), std::vector<Token>{{t.id, 0, len}}});
    start_offset = stop;
  }
  if (start_offset < text.size()) push_text(start_offset, text.size());
}

PreTokenizedString AddedVocabulary::extract_and_normalize(std::string_view text,
                                                          const Normalizer* normalizer) const {
  PreTokenizedString pts{NormalizedString(text)};
  std::vector<Split> first;
  split_with(std::move(pts.splits()[0].normalized), raw_, first);
  std::vector<Split> second;
  for (Split& s : first) {
    if (s.normalized.empty()) continue;
    if (s.tokens) {
      second.push_back(std::move(s));
      continue;
    }
    if (normalizer) normalizer->normalize(s.normalized);
    std::vector<Split> pieces;
    split_with(std::move(s.normalized), normalized_, pieces);
    for (Split& p : pieces) {
      if (!p.normalized.empty()) second.push_back(std::move(p));
    }
  }
  pts.splits() = std::move(second);
  return pts;
}

const AddedTokenSpec* AddedVocabulary::by_id(int32_t id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

const AddedTokenSpec* AddedVocabulary::by_content(std::string_view content) const {
  for (const auto& t : tokens_) {
    if (t.content == content) return &t;
  }
  return nullptr;
}

}  // namespace finsent::text
