// Chart renderers: well-formed SVG, the data's numbers present, hostile labels escaped, bad input
// refused.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"
#include "finsent/report/bar_chart.hpp"
#include "finsent/report/confusion_heatmap.hpp"
#include "finsent/report/histogram.hpp"
#include "finsent/report/line_chart.hpp"
#include "sample_document.hpp"
#include "xml_check.hpp"

namespace finsent::report {
namespace {

using testing::kHostile;
using testing::xml_problem;

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

TEST(XmlCheck, CatchesTheMistakesItIsFor) {
  EXPECT_EQ(xml_problem("<svg><text>a &amp; b</text></svg>"), "");
  EXPECT_NE(xml_problem("<svg><text>a & b</text></svg>"), "");
  EXPECT_NE(xml_problem("<svg><text>a < b</text></svg>"), "");
  EXPECT_NE(xml_problem("<svg><text>x</svg>"), "");
  EXPECT_NE(xml_problem("<svg a=\"<\"/>"), "");
  EXPECT_NE(xml_problem("<svg a=b/>"), "");
}

TEST(BarChart, OneBarPerValueWithValuesAndShares) {
  const std::string svg =
      render_bar_chart({"Class balance",
                        "examples",
                        {"negative", "neutral", "positive"},
                        {{"all", {604, 2879, 1363}}, {"test", {91, 432, 205}}}});
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(count(svg, "<rect"), 6u + 2u);  // bars + legend swatches
  for (const char* n :
       {">604<", ">2879<", ">1363<", ">91<", ">432<", ">205<", ">59.4%<", ">12.5%<"}) {
    EXPECT_NE(svg.find(n), std::string::npos) << n;
  }
  EXPECT_NE(svg.find(">neutral<"), std::string::npos);
  EXPECT_NE(svg.find("<title>neutral (all): 2879, 59.4%</title>"), std::string::npos);
}

TEST(BarChart, EscapesLabelsAndRefusesBadShapes) {
  const std::string svg =
      render_bar_chart({kHostile, kHostile, {kHostile, "b"}, {{kHostile, {1, 2}}}});
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_THROW(render_bar_chart({"t", "y", {"a", "b"}, {{"g", {1}}}}), InputError);
  EXPECT_THROW(render_bar_chart({"t", "y", {"a"}, {{"g", {-1}}}}), InputError);
  EXPECT_THROW(render_bar_chart({"t", "y", {"a"}, {{"g", {std::nan("")}}}}), InputError);
}

TEST(Histogram, BinsCoverEverySampleOnce) {
  const auto bins = histogram_bins({3, 4, 4, 9, 10, 21}, 5);
  ASSERT_EQ(bins.size(), 5u);
  EXPECT_EQ(bins[0].lo, 0);
  EXPECT_EQ(bins[0].count, 3);
  EXPECT_EQ(bins[1].count, 1);
  EXPECT_EQ(bins[2].count, 1);
  EXPECT_EQ(bins[3].count, 0);
  EXPECT_EQ(bins[4].lo, 20);
  EXPECT_EQ(bins[4].count, 1);
  EXPECT_TRUE(histogram_bins({}, 0).empty());
  EXPECT_EQ(histogram_bins({-3, 7}, 5).front().lo, -5);
  // Automatic width keeps the bin count bounded.
  std::vector<int64_t> wide;
  for (int64_t v = 0; v < 1000; v += 7) wide.push_back(v);
  const auto auto_bins = histogram_bins(wide, 0);
  EXPECT_LE(auto_bins.size(), 41u);
  int64_t total = 0;
  for (const auto& b : auto_bins) total += b.count;
  EXPECT_EQ(total, static_cast<int64_t>(wide.size()));
}

TEST(Histogram, DrawsBinsAndLabelledMarkers) {
  const std::string svg = render_histogram(
      {"Token lengths", "tokens", "sentences", {5, 6, 6, 7, 30}, 1, {{64, "MAX_LEN 64"}}});
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_NE(svg.find("<title>6: 2</title>"), std::string::npos);
  EXPECT_NE(svg.find(">MAX_LEN 64<"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  // The x axis reaches the marker even though no sample does.
  EXPECT_NE(svg.find(">60<"), std::string::npos);
  EXPECT_NE(render_histogram({"empty", "x", "y", {}, 0, {}}).find(">no data<"), std::string::npos);
}

TEST(LineChart, OnePolylinePerSeriesAndALegend) {
  Series a{"frozen", {{0, 1.0}, {1, 0.5}, {2, std::nan("")}, {3, 0.25}}};
  Series b{"unfrozen <x>", {{0, 0.9}, {3, 0.1}}};
  const std::string svg = render_line_chart({"Loss", "epoch", "loss", {a, b}});
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  EXPECT_NE(svg.find(">unfrozen &lt;x&gt;<"), std::string::npos);
  EXPECT_NE(svg.find(">epoch<"), std::string::npos);
  // The NaN point is dropped, not drawn at 0: frozen has three vertices.
  const size_t start = svg.find("points=\"");
  const size_t end = svg.find('"', start + 8);
  EXPECT_EQ(count(svg.substr(start, end - start), ","), 3u);
}

TEST(LineChart, ThinsLongSeriesAndHandlesEdgeCases) {
  Series s{"loss", {}};
  for (int i = 0; i < 10001; ++i) s.points.emplace_back(i, 1.0 / (1 + i));
  const std::string svg = render_line_chart({"Loss", "step", "loss", {s}});
  const size_t start = svg.find("points=\"");
  const size_t vertices = count(svg.substr(start, svg.find('"', start + 8) - start), ",");
  EXPECT_LE(vertices, 2001u);
  EXPECT_GE(vertices, 1000u);
  EXPECT_NE(svg.find(">10000<"), std::string::npos);  // the last x tick: the last point is kept
  const std::string single = render_line_chart({"LR", "step", "lr", {{"lr", {{5, 2e-5}}}}});
  EXPECT_EQ(count(single, "<circle"), 1u);
  EXPECT_NE(render_line_chart({"none", "x", "y", {}}).find(">no data<"), std::string::npos);
}

TEST(ConfusionHeatmap, CellsShowCountsAndRowShares) {
  const std::string svg = render_confusion_heatmap(
      {"NB", {"negative", "neutral", "positive"}, {{61, 20, 10}, {5, 410, 17}, {12, 40, 153}}});
  EXPECT_EQ(xml_problem(svg), "");
  EXPECT_EQ(count(svg, "<rect"), 9u);
  for (const char* n : {">61<", ">410<", ">153<", ">67.0%<", ">94.9%<", ">74.6%<"}) {
    EXPECT_NE(svg.find(n), std::string::npos) << n;
  }
  EXPECT_NE(svg.find("<title>true neutral, predicted positive: 17 (3.9% of the row)</title>"),
            std::string::npos);
  EXPECT_THROW(render_confusion_heatmap({"bad", {"a", "b"}, {{1, 2}}}), InputError);
  EXPECT_THROW(render_confusion_heatmap({"bad", {"a"}, {{-1}}}), InputError);
}

}  // namespace
}  // namespace finsent::report
