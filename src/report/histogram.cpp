// Histogram of integer samples with labelled marker lines (e.g. MAX_LEN).
#include "finsent/report/histogram.hpp"

#include <algorithm>
#include <cmath>

#include "chart_frame.hpp"
#include "finsent/report/number_format.hpp"

namespace finsent::report {
namespace {

int64_t floor_to_multiple(int64_t v, int64_t w) {
  int64_t q = v / w;
  if (v % w != 0 && v < 0) --q;
  return q * w;
}

}  // namespace

std::vector<HistogramBin> histogram_bins(const std::vector<int64_t>& samples, int64_t bin_width) {
  std::vector<HistogramBin> bins;
  if (samples.empty()) return bins;
  const auto [lo_it, hi_it] = std::minmax_element(samples.begin(), samples.end());
  const int64_t lo = *lo_it, hi = *hi_it;
  if (bin_width <= 0) {
    // Smallest 1-2-5 width giving at most 40 bins.
    const int64_t span = hi - lo + 1;
    bin_width = 1;
    for (int64_t scale = 1;; scale *= 10) {
      if (span <= 40 * scale) {
        bin_width = scale;
        break;
      }
      if (span <= 80 * scale) {
        bin_width = 2 * scale;
        break;
      }
      if (span <= 200 * scale) {
        bin_width = 5 * scale;
        break;
      }
    }
  }
  const int64_t start = floor_to_multiple(lo, bin_width);
  const int64_t count = (hi - start) / bin_width + 1;
  for (int64_t i = 0; i < count; ++i) {
    bins.push_back({start + i * bin_width, start + (i + 1) * bin_width, 0});
  }
  for (int64_t s : samples) ++bins[static_cast<size_t>((s - start) / bin_width)].count;
  return bins;
}

std::string render_histogram(const Histogram& h) {
  SvgCanvas svg(
      detail::kChartWidth, detail::kChartHeight, h.title,
      std::string("Histogram of ") + std::to_string(h.samples.size()) + " samples: " + h.x_label);
  detail::draw_title(svg, h.title);
  detail::PlotArea area;
  const std::vector<HistogramBin> bins = histogram_bins(h.samples, h.bin_width);
  if (bins.empty()) {
    detail::draw_no_data(svg, area);
    return svg.str();
  }
  int64_t max_count = 0;
  for (const HistogramBin& b : bins) max_count = std::max(max_count, b.count);
  double x_lo = static_cast<double>(bins.front().lo), x_hi = static_cast<double>(bins.back().hi);
  for (const HistogramMarker& m : h.markers) {
    if (std::isfinite(m.value)) x_lo = std::min(x_lo, m.value), x_hi = std::max(x_hi, m.value);
  }
  const LinearScale y =
      detail::draw_y_axis(svg, area, 0, static_cast<double>(max_count) * 1.1, h.y_label);
  const LinearScale x = detail::draw_x_axis(svg, area, x_lo, x_hi, h.x_label);
  for (const HistogramBin& b : bins) {
    const double left = x(static_cast<double>(b.lo)), right = x(static_cast<double>(b.hi));
    const double top = y(static_cast<double>(b.count));
    const std::string range = b.hi - b.lo == 1 ? std::to_string(b.lo)
                                               : std::string("[") + std::to_string(b.lo) + ", " +
                                                     std::to_string(b.hi) + ")";
    svg.rect(left + 0.5, top, right - left - 1, area.bottom - top, palette_color(0),
             range + ": " + std::to_string(b.count));
  }
  for (size_t i = 0; i < h.markers.size(); ++i) {
    const HistogramMarker& m = h.markers[i];
    if (!std::isfinite(m.value)) continue;
    const double px = x(m.value);
    const std::string& color = palette_color(3 + i);
    svg.line(px, area.top, px, area.bottom, color, 1.5, true);
    // Labels step down so neighbouring markers do not print over each other.
    const bool left_side = px > area.left + area.width() * 0.75;
    svg.text(left_side ? px - 4 : px + 4, area.top + 14 + 14 * static_cast<double>(i), m.label,
             {.size = 11,
              .anchor = left_side ? Anchor::End : Anchor::Start,
              .fill = color,
              .bold = true});
  }
  return svg.str();
}

}  // namespace finsent::report
