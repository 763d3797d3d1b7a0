// Truncation strategies and padding as tokenizers' utils/truncation.rs and utils/padding.rs.
#include "post_process.hpp"

#include <algorithm>

#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

void keep(std::vector<RawToken>& v, size_t n, Side side) {
  if (v.size() <= n) return;
  if (side == Side::Left)
    v.erase(v.begin(), v.end() - static_cast<std::ptrdiff_t>(n));
  else
    v.resize(n);
}

// LongestFirst: when both must shrink, the shorter keeps floor(max/2) (the first text on a tie)
// and the other gets the rest.
void longest_first(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max, Side side) {
  if (b == nullptr) return keep(a, max, side);
  const size_t n1 = a.size(), n2 = b->size();
  if (n1 + n2 <= max) return;
  const bool swap = n1 > n2;
  const size_t shorter = swap ? n2 : n1;
  size_t keep_short = shorter, keep_long = max - shorter;
  if (shorter > max / 2) {
    keep_short = max / 2;
    keep_long = max - max / 2;
  }
  keep(a, std::min(n1, swap ? keep_long : keep_short), side);
  keep(*b, std::min(n2, swap ? keep_short : keep_long), side);
}

}  // namespace

void truncate(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max, Truncation strategy,
              Side side) {
  if (strategy == Truncation::None) return;
  if (strategy == Truncation::LongestFirst) return longest_first(a, b, max, side);
  const size_t total = a.size() + (b ? b->size() : 0);
  if (total <= max) return;
  std::vector<RawToken>* target = strategy == Truncation::OnlyFirst ? &a : b;
  if (target == nullptr) throw InputError("Truncation error: Second sequence not provided");
  const size_t to_remove = total - max;
  if (target->size() <= to_remove) {
    throw InputError(
        "Truncation error: Sequence to truncate too short to respect the provided max_length");
  }
  keep(*target, target->size() - to_remove, side);
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
    target = *options.max_length;
  else if (options.padding == Padding::Longest)
    target = longest;
  else
    return size;
  const size_t m = options.pad_to_multiple_of;
  if (m > 0 && target % m != 0) target += m - target % m;
  return std::max(target, size);
}

void pad(Encoding& e, size_t length, int64_t pad_id, const std::string& pad_token, Side side) {
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
  fill(e.ids, pad_id);
  fill(e.type_ids, int64_t{0});
  fill(e.attention_mask, int64_t{0});
  fill(e.special_tokens_mask, int64_t{1});
  fill(e.tokens, pad_token);
  fill(e.offsets, std::pair<size_t, size_t>(0, 0));
}

void check_options(const EncodeOptions& options) {
  if (options.padding == Padding::MaxLength && !options.max_length) {
    throw InputError("padding to max_length needs a max_length");
  }
}

}  // namespace finsent::text
