// Truncation strategies, overflowing windows and padding as tokenizers' utils/truncation.rs,
// utils/padding.rs and Encoding::{truncate, merge_with, pad}.
#include "post_process.hpp"

#include <algorithm>

#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

// Encoding::truncate: keeps one window of `max_len` tokens (the first for Right, the last for
// Left); the windows after it, each starting `max_len - stride` tokens on, go to `overflow`.
void cut(std::vector<RawToken>& v, size_t max_len, size_t stride, Side side, Windows* overflow) {
  const size_t n = v.size();
  if (max_len >= n) return;
  if (max_len == 0) {
    if (overflow) overflow->push_back(std::move(v));
    v.clear();
    return;
  }
  if (stride >= max_len) {
    throw InputError("truncation stride " + std::to_string(stride) +
                     " must be smaller than the length a text is cut to (" +
                     std::to_string(max_len) + ": max_length less the special tokens)");
  }
  std::vector<std::pair<size_t, size_t>> ranges;
  const size_t step = max_len - stride;
  if (side == Side::Right) {
    for (size_t start = 0;; start += step) {
      const size_t stop = std::min(start + max_len, n);
      ranges.emplace_back(start, stop);
      if (stop == n || !overflow) break;
    }
  } else {
    for (size_t stop = n;; stop -= step) {
      const size_t start = stop > max_len ? stop - max_len : 0;
      ranges.emplace_back(start, stop);
      if (start == 0 || stop <= step || !overflow) break;
    }
  }
  const auto slice = [&](std::pair<size_t, size_t> r) {
    return std::vector<RawToken>(v.begin() + static_cast<std::ptrdiff_t>(r.first),
                                 v.begin() + static_cast<std::ptrdiff_t>(r.second));
  };
  for (size_t i = 1; i < ranges.size(); ++i) overflow->push_back(slice(ranges[i]));
  v = slice(ranges[0]);
}

// LongestFirst: when both must shrink, the shorter keeps floor(max/2) (the first text on a tie)
// and the other gets the rest.
void longest_first(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max, Side side,
                   size_t stride, Windows* oa, Windows* ob) {
  if (b == nullptr) return cut(a, max, stride, side, oa);
  const size_t n1 = a.size(), n2 = b->size();
  if (n1 + n2 <= max) return;
  const bool swap = n1 > n2;
  const size_t shorter = swap ? n2 : n1;
  size_t keep_short = shorter, keep_long = max - shorter;
  if (shorter > max / 2) {
    keep_short = max / 2;
    keep_long = max - max / 2;
  }
  cut(a, swap ? keep_long : keep_short, stride, side, oa);
  cut(*b, swap ? keep_short : keep_long, stride, side, ob);
}

Encoding sequence_encoding(const std::vector<RawToken>& window, int64_t type_id,
                           const TokenStrings& strings) {
  Encoding e;
  for (const RawToken& t : window) {
    const std::string* s = strings.value_of(t);
    append_token(e, t.id, s ? *s : std::string(), type_id, t.begin, t.end, false);
  }
  return e;
}

// tokenizers' Encoding::merge_with(pair, growing_offsets = false): the fields concatenated, and
// the overflowing windows combined (each of ours with the pair and with each of its windows, then
// the whole of us with each of its windows).
void merge_with(Encoding& self, const Encoding& pair) {
  std::vector<Encoding> overflowing;
  for (const Encoding& mine : self.overflowing) {
    overflowing.push_back(mine);
    merge_with(overflowing.back(), pair);
    for (const Encoding& theirs : pair.overflowing) {
      overflowing.push_back(mine);
      merge_with(overflowing.back(), theirs);
    }
  }
  for (const Encoding& theirs : pair.overflowing) {
    overflowing.push_back(self);
    merge_with(overflowing.back(), theirs);
  }
  const auto append = [](auto& to, const auto& from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  append(self.ids, pair.ids);
  append(self.type_ids, pair.type_ids);
  append(self.attention_mask, pair.attention_mask);
  append(self.special_tokens_mask, pair.special_tokens_mask);
  append(self.tokens, pair.tokens);
  append(self.offsets, pair.offsets);
  self.overflowing = std::move(overflowing);
}

// The layout with overflowing windows: one encoding per piece, merged left to right (what the
// post-processors' process_encodings and Encoding::merge do).
Encoding lay_out_overflowing(const std::vector<RawToken>& a, const std::vector<RawToken>* b,
                             const Windows& oa, const Windows& ob, const EncodeOptions& options,
                             const PostProcessing& processing, const TokenStrings& strings) {
  std::vector<Encoding> parts;
  for (const LayoutPiece& piece : processing.layout) {
    if (piece.kind == LayoutPiece::Special) {
      if (!options.add_special_tokens) continue;
      parts.push_back(sequence_encoding({RawToken{piece.id, 0, 0}}, piece.type_id, strings));
      parts.back().special_tokens_mask.back() = 1;
      continue;
    }
    const bool is_a = piece.kind == LayoutPiece::SequenceA;
    if (!is_a && b == nullptr) continue;
    const int64_t window_type =
        processing.overflow_type_ids_from_layout && options.add_special_tokens ? piece.type_id
                                                                               : (is_a ? 0 : 1);
    Encoding e = sequence_encoding(is_a ? a : *b, piece.type_id, strings);
    for (const auto& w : is_a ? oa : ob)
      e.overflowing.push_back(sequence_encoding(w, window_type, strings));
    parts.push_back(std::move(e));
  }
  if (parts.empty()) return Encoding{};
  Encoding out = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) merge_with(out, parts[i]);
  return out;
}

Encoding lay_out(const std::vector<RawToken>& a, const std::vector<RawToken>* b,
                 const EncodeOptions& options, const PostProcessing& processing,
                 const TokenStrings& strings) {
  Encoding e;
  const size_t n = a.size() + (b ? b->size() : 0) + processing.added;
  e.ids.reserve(n);
  e.type_ids.reserve(n);
  e.attention_mask.reserve(n);
  e.special_tokens_mask.reserve(n);
  e.tokens.reserve(n);
  e.offsets.reserve(n);
  for (const LayoutPiece& piece : processing.layout) {
    if (piece.kind == LayoutPiece::Special) {
      if (!options.add_special_tokens) continue;
      const std::string* s = strings.value_of(RawToken{piece.id, 0, 0});
      append_token(e, piece.id, s ? *s : std::string(), piece.type_id, 0, 0, true);
      continue;
    }
    if (piece.kind == LayoutPiece::SequenceB && b == nullptr) continue;
    for (const RawToken& t : piece.kind == LayoutPiece::SequenceA ? a : *b) {
      const std::string* s = strings.value_of(t);
      append_token(e, t.id, s ? *s : std::string(), piece.type_id, t.begin, t.end, false);
    }
  }
  return e;
}

}  // namespace

void truncate(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max, Truncation strategy,
              Side side, size_t stride, Windows* overflow_a, Windows* overflow_b) {
  if (strategy == Truncation::None) return;
  if (max == 0) {  // truncate_encodings: everything overflows, whatever the strategy
    cut(a, 0, stride, side, overflow_a);
    if (b) cut(*b, 0, stride, side, overflow_b);
    return;
  }
  if (strategy == Truncation::LongestFirst)
    return longest_first(a, b, max, side, stride, overflow_a, overflow_b);
  const size_t total = a.size() + (b ? b->size() : 0);
  if (total <= max) return;
  std::vector<RawToken>* target = strategy == Truncation::OnlyFirst ? &a : b;
  if (target == nullptr) throw InputError("Truncation error: Second sequence not provided");
  const size_t to_remove = total - max;
  if (target->size() <= to_remove) {
    throw InputError(
        "Truncation error: Sequence to truncate too short to respect the provided max_length");
  }
  cut(*target, target->size() - to_remove, stride, side, target == &a ? overflow_a : overflow_b);
}

Encoding post_process(std::vector<RawToken>& a, std::vector<RawToken>* b,
                      const EncodeOptions& options, const PostProcessing& processing,
                      const TokenStrings& strings,
                      const std::pair<int64_t, std::string>& pad_token) {
  check_options(options);
  const size_t added = options.add_special_tokens ? processing.added : 0;
  Windows oa, ob;
  // As Transformers: a max_length that cannot even hold the special tokens truncates nothing.
  if (options.max_length && *options.max_length >= added) {
    Windows* want_a = options.return_overflowing ? &oa : nullptr;
    Windows* want_b = options.return_overflowing ? &ob : nullptr;
    truncate(a, b, *options.max_length - added, options.truncation, options.truncation_side,
             options.stride, want_a, want_b);
  }
  if (processing.process_offsets) {
    processing.process_offsets(a);
    if (b) processing.process_offsets(*b);
    for (auto& w : oa) processing.process_offsets(w);
    for (auto& w : ob) processing.process_offsets(w);
  }
  Encoding e = oa.empty() && ob.empty()
                   ? lay_out(a, b, options, processing, strings)
                   : lay_out_overflowing(a, b, oa, ob, options, processing, strings);
  if (options.padding != Padding::None) {
    pad(e, padded_length(options, e.size(), e.size()), pad_token, options.pad_type_id,
        options.padding_side);
  }
  return e;
}

void append_token(Encoding& e, int64_t id, const std::string& token, int64_t type_id, size_t begin,
                  size_t end, bool special) {
  e.ids.push_back(id);
  e.type_ids.push_back(type_id);
  e.attention_mask.push_back(1);
  e.special_tokens_mask.push_back(special ? 1 : 0);
  e.tokens.push_back(token);
  e.offsets.emplace_back(begin, end);
}

size_t padded_length(const EncodeOptions& options, size_t size, size_t longest) {
  size_t target = size;
  if (options.padding == Padding::MaxLength)
    target = options.padding_length ? *options.padding_length : *options.max_length;
  else if (options.padding == Padding::Longest)
    target = longest;
  else
    return size;
  const size_t m = options.pad_to_multiple_of;
  if (m > 0 && target % m != 0) target += m - target % m;
  return std::max(target, size);
}

void pad(Encoding& e, size_t length, const std::pair<int64_t, std::string>& pad_token,
         int64_t pad_type_id, Side side) {
  for (Encoding& window : e.overflowing) pad(window, length, pad_token, pad_type_id, side);
  if (e.size() >= length) return;
  const size_t n = length - e.size();
  const auto fill = [&](auto& v, auto value) {
    using V = std::decay_t<decltype(v)>;
    V pads(n, value);
    if (side == Side::Left)
      v.insert(v.begin(), pads.begin(), pads.end());
    else
      v.insert(v.end(), pads.begin(), pads.end());
  };
  fill(e.ids, pad_token.first);
  fill(e.type_ids, pad_type_id);
  fill(e.attention_mask, int64_t{0});
  fill(e.special_tokens_mask, int64_t{1});
  fill(e.tokens, pad_token.second);
  fill(e.offsets, std::pair<size_t, size_t>(0, 0));
}

void check_options(const EncodeOptions& options) {
  if (options.padding == Padding::MaxLength && !options.max_length && !options.padding_length) {
    throw InputError("padding to max_length needs a max_length");
  }
}

}  // namespace finsent::text
