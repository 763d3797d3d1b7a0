// Histogram of integer-valued samples (e.g. tokens per sentence) with marker lines, as SVG.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace finsent::report {

struct HistogramMarker {
  double value;       // x position, in data units
  std::string label;  // "MAX_LEN 64", "p95 48"
};

struct Histogram {
  std::string title;
  std::string x_label;
  std::string y_label = "count";
  std::vector<int64_t> samples;
  int64_t bin_width = 0;  // 0: chosen so there are at most ~40 bins
  std::vector<HistogramMarker> markers;
};

struct HistogramBin {
  int64_t lo, hi;  // the bin holds samples in [lo, hi)
  int64_t count;
};

// Bins of width `bin_width` (0 = automatic) starting at a multiple of the width at or below the
// smallest sample and covering the largest. Empty for no samples.
std::vector<HistogramBin> histogram_bins(const std::vector<int64_t>& samples, int64_t bin_width);

// Draws the bins, the axes, and each marker as a dashed vertical line with its label. A chart with
// no samples shows "no data" instead of bars.
std::string render_histogram(const Histogram& histogram);

}  // namespace finsent::report
