// report.md / report.html rendering and writing: structure, escaping, files on disk.
#include "finsent/report/render.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "finsent/core/error.hpp"
#include "finsent/report/table.hpp"
#include "sample_document.hpp"
#include "xml_check.hpp"

namespace finsent::report {
namespace {

using testing::sample_document;

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Table, MarkdownAndHtmlEscapeCells) {
  Table t{{"model", "acc"}, {{"a|b", "0.5"}, {"<x>", "1"}}, {Align::Left, Align::Right}};
  EXPECT_EQ(table_markdown(t),
            "| model | acc |\n| --- | ---: |\n| a\\|b | 0.5 |\n| \\<x\\> | 1 |\n");
  const std::string html = table_html(t);
  EXPECT_NE(html.find("<td>&lt;x&gt;</td><td class=\"num\">1</td>"), std::string::npos);
  EXPECT_NE(html.find("<th class=\"num\">acc</th>"), std::string::npos);
  EXPECT_THROW(table_markdown({{"a", "b"}, {{"1"}}, {}}), InputError);
}

TEST(RenderMarkdown, SectionsFiguresTablesAndEscaping) {
  const std::string md = render_markdown(sample_document());
  EXPECT_EQ(md.rfind("# Lab report \\<test\\> & more\n", 0), 0u);
  EXPECT_NE(md.find("\n## Data & class balance\n"), std::string::npos);
  EXPECT_NE(md.find("Data: `data/Sentences_50Agree.txt`. **Total 12.5 s.**"), std::string::npos);
  EXPECT_EQ(count(md, "!["), 5u);                                           // five figure links
  EXPECT_NE(md.find("\\[link\\](http://example.com)"), std::string::npos);  // not a link
  EXPECT_NE(md.find("![Training loss](figures/loss.svg)"), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>alert('x')\\</script\\>"), std::string::npos);
  EXPECT_NE(md.find("| naive bayes \\| tf-idf | 0.7923 | 0.7012 |"), std::string::npos);
  EXPECT_NE(md.find("`````\nepoch 1/3 step 10/30 loss 0.99 ```` </code>\n`````"),
            std::string::npos);
  EXPECT_NE(md.find("- ``a`b`` item \\<two\\>"), std::string::npos);
  EXPECT_NE(md.find("> **Failed:** stage 'unfrozen' failed: out of \\<memory\\> & time"),
            std::string::npos);
}

TEST(RenderHtml, SelfContainedWithInlineFigures) {
  const std::string html = render_html(sample_document());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(count(html, "<svg "), 5u);
  EXPECT_EQ(count(html, "<figure id=\"fig-"), 5u);
  EXPECT_EQ(count(html, "<section id="), 3u);
  EXPECT_NE(html.find("<a href=\"#results\">Results</a>"), std::string::npos);
  // Nothing active and nothing external: no script, no link/src/url() references.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"note error\" role=\"alert\"><strong>Failed:</strong> stage "
                      "&#39;unfrozen&#39;"),
            std::string::npos);
  EXPECT_NE(html.find("<code>a`b</code> item &lt;two&gt;"), std::string::npos);
  // The numbers of the data made it into the page.
  for (const char* n : {">2879<", ">410<", ">MAX_LEN 64<", ">0.8541<"}) {
    EXPECT_NE(html.find(n), std::string::npos) << n;
  }
}

TEST(Validate, RefusesBadAndDuplicateNames) {
  Document d = sample_document();
  d.sections[1].id = "data";
  EXPECT_THROW(validate(d), InputError);
  d = sample_document();
  d.sections[0].id = "Data Section";
  EXPECT_THROW(validate(d), InputError);
  d = sample_document();
  d.sections[1].blocks.push_back(
      Figure{"loss", "again", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"});
  EXPECT_THROW(render_html(d), InputError);
  d = sample_document();
  d.sections[1].blocks.push_back(
      Figure{"../evil", "path", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"});
  EXPECT_THROW(render_markdown(d), InputError);
}

TEST(WriteReport, WritesMarkdownHtmlAndWellFormedFigures) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("finsent-report-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::remove_all(dir);
  const WrittenReport written = write_report(sample_document(), dir);
  EXPECT_EQ(written.html, dir / "report.html");
  EXPECT_EQ(slurp(written.markdown), render_markdown(sample_document()));
  EXPECT_EQ(slurp(written.html), render_html(sample_document()));
  ASSERT_EQ(written.figures.size(), 5u);
  for (const auto& f : written.figures) {
    const std::string svg = slurp(f);
    EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u) << f;
    EXPECT_EQ(testing::xml_problem(svg), "") << f;
  }
  std::filesystem::remove_all(dir);
}

TEST(WriteReport, UnwritableDirectoryIsAnIoError) {
  EXPECT_THROW(write_report(sample_document(), "/proc/finsent-no-such-dir"), IoError);
}

}  // namespace
}  // namespace finsent::report
