// Length distribution, percentiles (numpy's linear rule) and MAX_LEN advice over token counts.
#include "finsent/text/length_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

double percentile(const std::vector<size_t>& sorted, double q) {
  const double pos = q / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return static_cast<double>(sorted[lo]) +
         frac * (static_cast<double>(sorted[hi]) - static_cast<double>(sorted[lo]));
}

double padding_saved(const std::vector<size_t>& lengths, size_t max_len) {
  double at_512 = 0, at_max = 0;
  for (size_t n : lengths) {
    if (n < 512) at_512 += static_cast<double>(512 - n);
    if (n < max_len) at_max += static_cast<double>(max_len - n);
  }
  return at_512 == 0 ? 0 : 1.0 - at_max / at_512;
}

}  // namespace

std::vector<size_t> token_lengths(const Tokenizer& tokenizer,
                                  const std::vector<std::string>& texts) {
  std::vector<size_t> out;
  out.reserve(texts.size());
  const size_t specials = tokenizer.num_special_tokens_to_add(false);
  for (const auto& t : texts) out.push_back(tokenizer.count_tokens(t) + specials);
  return out;
}

LengthStats length_stats(std::vector<size_t> lengths, size_t bins) {
  if (lengths.empty()) throw InputError("no texts to measure");
  std::sort(lengths.begin(), lengths.end());
  LengthStats s;
  s.count = lengths.size();
  s.min = lengths.front();
  s.max = lengths.back();
  s.mean = static_cast<double>(std::accumulate(lengths.begin(), lengths.end(), size_t{0})) /
           static_cast<double>(s.count);
  s.p50 = percentile(lengths, 50);
  s.p90 = percentile(lengths, 90);
  s.p95 = percentile(lengths, 95);
  s.p99 = percentile(lengths, 99);
  const auto keep = static_cast<size_t>(std::ceil(0.999 * static_cast<double>(s.count) - 1e-9));
  s.max_len_999 = lengths[std::max<size_t>(keep, 1) - 1];
  s.max_len_100 = s.max;
  s.padding_saved_999 = padding_saved(lengths, s.max_len_999);
  s.padding_saved_100 = padding_saved(lengths, s.max_len_100);
  const size_t range = s.max - s.min + 1;
  const size_t width = (range + std::max<size_t>(bins, 1) - 1) / std::max<size_t>(bins, 1);
  for (size_t lo = s.min; lo <= s.max; lo += width) {
    const size_t hi = std::min(s.max, lo + width - 1);
    const auto first = std::lower_bound(lengths.begin(), lengths.end(), lo);
    const auto last = std::upper_bound(lengths.begin(), lengths.end(), hi);
    s.histogram.push_back({lo, hi, static_cast<size_t>(last - first)});
  }
  return s;
}

}  // namespace finsent::text
