// Escaping for XML/HTML and CommonMark: hostile text stays text.
#include "finsent/report/escape.hpp"

#include <gtest/gtest.h>

namespace finsent::report {
namespace {

TEST(XmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(xml_escape("plain text 123"), "plain text 123");
}

TEST(XmlEscape, KeepsValidUtf8AndWhitespace) {
  EXPECT_EQ(xml_escape("caf\xC3\xA9 \xE2\x82\xAC 5\t\n\r"), "caf\xC3\xA9 \xE2\x82\xAC 5\t\n\r");
  EXPECT_EQ(xml_escape("\xF0\x9F\x93\x88"), "\xF0\x9F\x93\x88");  // U+1F4C8
}

TEST(XmlEscape, ReplacesWhatXmlForbids) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b",
                                   3)),
            "a" + fffd + "b");
  EXPECT_EQ(xml_escape(std::string("\0", 1)), fffd);
  EXPECT_EQ(xml_escape("\xE9t\xE9"), fffd + "t" + fffd);      // iso-8859-1 bytes, not UTF-8
  EXPECT_EQ(xml_escape("\xC0\xAF"), fffd + fffd);             // overlong '/'
  EXPECT_EQ(xml_escape("\xED\xA0\x80"), fffd + fffd + fffd);  // surrogate
  EXPECT_EQ(xml_escape("\xEF\xBF\xBF"), fffd);                // U+FFFF
  EXPECT_EQ(xml_escape("\xE2\x82"), fffd + fffd);             // truncated
}

TEST(MarkdownEscape, NeutralisesInlineMarkup) {
  EXPECT_EQ(markdown_escape("*a* _b_ `c` [d](e) <f> ~g~ \\"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\> \\~g\\~ \\\\");
  EXPECT_EQ(markdown_escape("S&P 500 &amp; AT & T"), "S\\&P 500 \\&amp; AT & T");
}

TEST(MarkdownEscape, NeutralisesBlockMarkersAtTheStart) {
  EXPECT_EQ(markdown_escape("# not a heading"), "\\# not a heading");
  EXPECT_EQ(markdown_escape("- not a list"), "\\- not a list");
  EXPECT_EQ(markdown_escape("2024. A year"), "2024\\. A year");
  EXPECT_EQ(markdown_escape("3) item"), "3\\) item");
  EXPECT_EQ(markdown_escape("> quote"), "\\> quote");
  EXPECT_EQ(markdown_escape("profit - 5%"), "profit - 5%");
  EXPECT_EQ(markdown_escape("rose 5.2 points"), "rose 5.2 points");
  EXPECT_EQ(markdown_escape("0.5 of it"), "0.5 of it");
  EXPECT_EQ(markdown_cell("1. first"), "1. first");
}

TEST(MarkdownEscape, KeepsOneLine) {
  EXPECT_EQ(markdown_escape("a\r\nb\nc"), "a b c");
  EXPECT_EQ(markdown_cell("a|b\nc"), "a\\|b c");
  EXPECT_EQ(markdown_escape("a|b"), "a|b");
}

TEST(MarkdownCode, SpanFenceOutgrowsBackticksInside) {
  EXPECT_EQ(markdown_code_span("ls -l"), "`ls -l`");
  EXPECT_EQ(markdown_code_span("a`b"), "``a`b``");
  EXPECT_EQ(markdown_code_span("`x`"), "`` `x` ``");
  EXPECT_EQ(markdown_code_span(" x "), "`  x  `");
}

TEST(MarkdownCode, BlockFenceOutgrowsBackticksInside) {
  EXPECT_EQ(markdown_code_block("a\n"), "```\na\n```\n");
  EXPECT_EQ(markdown_code_block("x ```` y"), "`````\nx ```` y\n`````\n");
}

}  // namespace
}  // namespace finsent::report
