// Confusion matrix heatmap: counts with row shares, coloured by row share.
#include "finsent/report/confusion_heatmap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "finsent/core/error.hpp"
#include "finsent/report/number_format.hpp"
#include "finsent/report/svg_canvas.hpp"

namespace finsent::report {
namespace {

// Near-white through mid blue to deep blue (two linear segments, like ColorBrewer's "Blues").
std::string shade(double t) {
  t = std::clamp(t, 0.0, 1.0);
  struct Rgb {
    double r, g, b;
  };
  const Rgb lo{0xf7, 0xfb, 0xff}, mid{0x6b, 0xae, 0xd6}, hi{0x08, 0x30, 0x6b};
  const Rgb& a = t < 0.5 ? lo : mid;
  const Rgb& b = t < 0.5 ? mid : hi;
  const double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  const auto mix = [&](double x, double y) {
    return static_cast<int>(std::lround(x + (y - x) * u));
  };
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
  return buf;
}

}  // namespace

std::string render_confusion_heatmap(const ConfusionHeatmap& h) {
  const size_t n = h.labels.size();
  if (h.counts.size() != n) {
    throw InputError("confusion matrix '" + h.title + "': " + std::to_string(h.counts.size()) +
                     " rows for " + std::to_string(n) + " labels");
  }
  for (const auto& row : h.counts) {
    if (row.size() != n) {
      throw InputError("confusion matrix '" + h.title + "': a row has " +
                       std::to_string(row.size()) + " columns for " + std::to_string(n) +
                       " labels");
    }
    for (int64_t c : row) {
      if (c < 0) throw InputError("confusion matrix '" + h.title + "': negative count");
    }
  }
  const double cell = n == 0 ? 80 : std::clamp(300.0 / static_cast<double>(n), 28.0, 90.0);
  const double left = 120, top = 78;
  const double width = std::max(360.0, left + cell * static_cast<double>(n) + 30);
  const double height = top + cell * static_cast<double>(n) + 30;
  SvgCanvas svg(width, height, h.title,
                "Confusion matrix: rows are true labels, columns predictions");
  svg.text(width / 2, 24, h.title, {.size = 15, .anchor = Anchor::Middle, .bold = true});
  const double grid_right = left + cell * static_cast<double>(n);
  svg.text((left + grid_right) / 2, 48, "predicted",
           {.size = 12, .anchor = Anchor::Middle, .fill = "#444"});
  svg.text(16, top + cell * static_cast<double>(n) / 2, "true",
           {.size = 12, .anchor = Anchor::Middle, .fill = "#444", .rotate = -90});
  const double font = std::min(13.0, cell / 5.5);
  for (size_t j = 0; j < n; ++j) {
    svg.text(left + cell * (static_cast<double>(j) + 0.5), top - 8, h.labels[j],
             {.size = 12, .anchor = Anchor::Middle});
  }
  for (size_t i = 0; i < n; ++i) {
    int64_t row_total = 0;
    for (int64_t c : h.counts[i]) row_total += c;
    const double y = top + cell * static_cast<double>(i);
    svg.text(left - 8, y + cell / 2 + 4, h.labels[i], {.size = 12, .anchor = Anchor::End});
    for (size_t j = 0; j < n; ++j) {
      const int64_t c = h.counts[i][j];
      const double share =
          row_total > 0 ? static_cast<double>(c) / static_cast<double>(row_total) : 0;
      const double x = left + cell * static_cast<double>(j);
      svg.rect(x, y, cell, cell, shade(share),
               "true " + h.labels[i] + ", predicted " + h.labels[j] + ": " + std::to_string(c) +
                   " (" + format_percent(share) + " of the row)",
               "#ffffff");
      const std::string ink = share > 0.5 ? "#ffffff" : "#222222";
      svg.text(x + cell / 2, y + cell / 2, std::to_string(c),
               {.size = font + 2, .anchor = Anchor::Middle, .fill = ink, .bold = i == j});
      svg.text(x + cell / 2, y + cell / 2 + font + 3, format_percent(share),
               {.size = font, .anchor = Anchor::Middle, .fill = ink});
    }
  }
  return svg.str();
}

}  // namespace finsent::report
