// The HTML report and its SVG figures in real headless Chromium: they parse, render, log nothing.
#include <gtest/gtest.h>

#include "chromium.hpp"
#include "finsent/report/render.hpp"
#include "sample_document.hpp"

namespace finsent::report {
namespace {

using testing::find_chromium;
using testing::run_chromium;

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_chromium();
    ASSERT_FALSE(chromium_.empty()) << testing::kNoChromium;
    // Kept in the build tree so a failure (or the screenshot) can be looked at afterwards.
    // One folder per test: CTest may run them in parallel.
    dir_ = std::filesystem::current_path() / "browser-report" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    written_ = write_report(testing::sample_document(), dir_ / "report");
  }
  std::string chromium_;
  std::filesystem::path dir_;
  WrittenReport written_;
};

TEST_F(Browser, ReportRendersWithAllFiguresAndNoConsoleMessages) {
  const auto run = run_chromium(chromium_, written_.html, dir_ / "dom");
  ASSERT_EQ(run.exit_code, 0) << run.log;
  EXPECT_TRUE(run.console.empty()) << joined(run.console);
  EXPECT_EQ(count(run.dom, "<svg "), 5u);
  EXPECT_EQ(count(run.dom, "<figure id=\"fig-"), 5u);
  EXPECT_EQ(run.dom.find("parsererror"), std::string::npos);
  // The hostile sentence stayed text: Chromium built no script element from it.
  EXPECT_EQ(run.dom.find("<script"), std::string::npos);
  EXPECT_NE(run.dom.find("&lt;script&gt;alert('x')&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(run.dom.find(">MAX_LEN 64<"), std::string::npos);
}

TEST_F(Browser, EachFigureFileIsValidSvg) {
  ASSERT_EQ(written_.figures.size(), 5u);
  for (const auto& svg : written_.figures) {
    const auto run = run_chromium(chromium_, svg, dir_ / ("svg-" + svg.stem().string()));
    ASSERT_EQ(run.exit_code, 0) << run.log;
    // An XML error makes Chromium show an XHTML error page holding a <parsererror> element.
    EXPECT_EQ(run.dom.find("parsererror"), std::string::npos) << svg << "\n" << run.dom;
    EXPECT_EQ(run.dom.rfind("<svg", 0), 0u) << svg;
    EXPECT_TRUE(run.console.empty()) << joined(run.console);
  }
}

TEST_F(Browser, BrokenMarkupIsDetected) {
  // The checks above can fail: a stray '&' in an SVG and a blocked remote image are both caught.
  const auto bad_svg = dir_ / "bad.svg";
  std::ofstream(bad_svg) << "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>a & b</text></svg>";
  EXPECT_NE(run_chromium(chromium_, bad_svg, dir_ / "bad-svg").dom.find("parsererror"),
            std::string::npos);
  std::string html = testing::read_text(written_.html);
  html.replace(html.find("</main>"), 7, "<img src=\"http://192.0.2.1/x.png\" alt=\"\"></main>");
  const auto bad_html = dir_ / "bad.html";
  std::ofstream(bad_html) << html;
  EXPECT_FALSE(run_chromium(chromium_, bad_html, dir_ / "bad-html").console.empty());
}

TEST_F(Browser, ScreenshotIsTaken) {
  const auto png = dir_ / "report.png";
  const auto run = run_chromium(chromium_, written_.html, dir_ / "shot", png);
  ASSERT_EQ(run.exit_code, 0) << run.log;
  ASSERT_TRUE(std::filesystem::exists(png)) << run.log;
  const std::string bytes = testing::read_text(png);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  // A blank page compresses to a few KB; charts and text make it far larger.
  EXPECT_GT(bytes.size(), 60000u);
}

}  // namespace
}  // namespace finsent::report
