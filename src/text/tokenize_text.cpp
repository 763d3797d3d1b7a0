// Text to raw tokens: added-token split, normalization, pre-tokenization and WordPiece.
#include <limits>

#include "finsent/core/error.hpp"
#include "utf8_decode.hpp"
#include "wordpiece_model.hpp"
#include "wordpiece_tokenizer_impl.hpp"

namespace finsent::text {
namespace {

int32_t require_id(const Vocab& vocab, const std::string& token, const char* role) {
  if (auto id = vocab.find(token)) return *id;
  throw TokenizerError(std::string("the ") + role + " token " + token +
                       " is not in the vocabulary");
}

// Per-thread buffers, so encoding allocates nothing per word once warmed up.
struct Scratch {
  std::vector<NormChar> chars, tmp;
  std::string word;
  std::vector<uint32_t> word_begin, word_end;  // original range of each byte of `word`
  std::vector<WordPiece> pieces;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

WordPieceTokenizerImpl::WordPieceTokenizerImpl(Vocab vocab_in, const NormalizerOptions& options,
                                               SpecialTokens specials_in, size_t max_chars,
                                               std::vector<AddedToken> added_tokens)
    : vocab(std::move(vocab_in)),
      normalizer(options),
      specials(std::move(specials_in)),
      max_input_chars_per_word(max_chars) {
  unk_id = require_id(vocab, specials.unk, "unknown");
  cls_id = require_id(vocab, specials.cls, "classifier");
  sep_id = require_id(vocab, specials.sep, "separator");
  pad_id = require_id(vocab, specials.pad, "padding");
  special_ids.unk = unk_id;
  special_ids.cls = cls_id;
  special_ids.sep = sep_id;
  special_ids.pad = pad_id;
  if (auto mask = vocab.find(specials.mask)) special_ids.mask = *mask;
  id_limit = vocab.size();
  for (auto& t : added_tokens) {
    if (t.id < 0) throw TokenizerError("added token " + t.content + " has a negative id");
    id_limit = std::max(id_limit, static_cast<size_t>(t.id) + 1);
    added.add(std::move(t));
  }
}

const std::string* WordPieceTokenizerImpl::token_of(int32_t id) const {
  if (const auto* t = added.by_id(id)) return &t->content;
  if (id < 0 || static_cast<size_t>(id) >= vocab.size() || vocab.shadowed(id)) return nullptr;
  return &vocab.token(id);
}

bool WordPieceTokenizerImpl::is_special(int32_t id) const {
  const auto* t = added.by_id(id);
  return t != nullptr && t->special;
}

void WordPieceTokenizerImpl::tokenize(std::string_view text, std::vector<RawToken>& out) const {
  if (text.size() >= std::numeric_limits<uint32_t>::max()) {
    throw InputError("text of " + std::to_string(text.size()) + " bytes is too long to tokenize");
  }
  size_t pos = 0;
  while (pos < text.size()) {
    const auto match = added.find(text, pos);
    const size_t segment_end = match.begin == std::string_view::npos ? text.size() : match.begin;
    if (segment_end > pos) {
      tokenize_segment(text, static_cast<uint32_t>(pos), static_cast<uint32_t>(segment_end), out);
    }
    if (match.begin == std::string_view::npos) break;
    out.push_back(
        RawToken{match.id, static_cast<uint32_t>(match.begin), static_cast<uint32_t>(match.end)});
    pos = match.end;
  }
}

void WordPieceTokenizerImpl::tokenize_segment(std::string_view text, uint32_t begin, uint32_t end,
                                              std::vector<RawToken>& out) const {
  Scratch& s = scratch();
  normalizer.normalize(text, begin, end, s.chars, s.tmp);
  s.word.clear();
  s.word_begin.clear();
  s.word_end.clear();
  const auto flush = [&] {
    if (s.word.empty()) return;
    s.pieces.clear();
    wordpiece_split(s.word, vocab, unk_id, max_input_chars_per_word, s.pieces);
    for (const auto& p : s.pieces) {
      out.push_back(RawToken{p.id, s.word_begin[p.begin], s.word_end[p.end - 1]});
    }
    s.word.clear();
    s.word_begin.clear();
    s.word_end.clear();
  };
  const auto append = [&](const NormChar& c) {
    const size_t n = utf8_length(c.cp);
    append_utf8(s.word, c.cp);
    s.word_begin.insert(s.word_begin.end(), n, c.begin);
    s.word_end.insert(s.word_end.end(), n, c.end);
  };
  // BertPreTokenizer: split on whitespace (removed), then isolate each punctuation character.
  for (const auto& c : s.chars) {
    if (is_unicode_whitespace(c.cp)) {
      flush();
    } else if (is_bert_punctuation(c.cp)) {
      flush();
      append(c);
      flush();
    } else {
      append(c);
    }
  }
  flush();
}

}  // namespace finsent::text
