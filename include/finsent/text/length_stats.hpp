// Token-length distribution of a dataset and the MAX_LEN it suggests (step 5 of the user's path).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "finsent/text/tokenizer.hpp"

namespace finsent::text {

struct LengthHistogramBin {
  size_t lo, hi;  // token lengths lo..hi inclusive
  size_t count;
};

struct LengthStats {
  size_t count = 0;         // texts
  size_t min = 0, max = 0;  // tokens per text, [CLS] and [SEP] included
  double mean = 0;
  double p50 = 0, p90 = 0, p95 = 0, p99 = 0;  // numpy.percentile's default (linear) interpolation
  std::vector<LengthHistogramBin> histogram;  // equal-width bins covering min..max
  size_t max_len_999 = 0;  // smallest MAX_LEN keeping at least 99.9% of texts whole
  size_t max_len_100 = 0;  // smallest MAX_LEN keeping every text whole (= max)
  // Share of padding positions saved by padding to max_len_* instead of 512, in [0, 1]:
  // 1 - sum(max(0, L - len)) / sum(max(0, 512 - len)).
  double padding_saved_999 = 0, padding_saved_100 = 0;
};

// Token lengths (with the special tokens a single text gets, no truncation) of each text.
std::vector<size_t> token_lengths(const Tokenizer& tokenizer,
                                  const std::vector<std::string>& texts);

// Statistics of `lengths`; `bins` equal-width histogram bins (fewer when the range is small).
// Throws InputError on an empty list.
LengthStats length_stats(std::vector<size_t> lengths, size_t bins = 12);

}  // namespace finsent::text
