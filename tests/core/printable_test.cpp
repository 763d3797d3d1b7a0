// Untrusted text is escaped for the terminal, and long messages are capped with a count.
#include <gtest/gtest.h>

#include <string>

#include "finsent/core/printable.hpp"

namespace finsent {
namespace {

using namespace std::string_literals;

TEST(Printable, EscapesTerminalControlSequences) {
  EXPECT_EQ(printable("label \x1b[31mred\x1b[0m"), "label \\x1b[31mred\\x1b[0m");
  EXPECT_EQ(printable("a\tb\nc\rd\x7f"), "a\\tb\\nc\\rd\\x7f");
  EXPECT_EQ(printable("\x07\x08"), "\\x07\\x08");
}

TEST(Printable, KeepsEverythingAfterANul) {
  // UTF-16LE "ab": the NUL bytes are shown, and nothing after the first one is lost.
  EXPECT_EQ(printable("\xff\xfe"
                      "a\0b\0"s),
            "\\xff\\xfea\\x00b\\x00");
}

TEST(Printable, KeepsValidUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(printable("Liikevaihto kasvoi 5 %, €13.1 mn, 日本"),
            "Liikevaihto kasvoi 5 %, €13.1 mn, 日本");
  EXPECT_EQ(printable("caf\xc3"), "caf\\xc3");              // truncated sequence
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
}

TEST(Printable, EscapesC1ControlsAndBidiOverrides) {
  EXPECT_EQ(printable("\xc2\x9b"
                      "31m"),
            "\\u009b31m");  // CSI as U+009B
  EXPECT_EQ(printable("a\xe2\x80\xae"
                      "b\xe2\x81\xa6"),
            "a\\u202eb\\u2066");  // RLO, LRI
}

TEST(Capped, CutsAtACharacterBoundaryAndCountsTheRest) {
  EXPECT_EQ(capped("short", 10), "short");
  EXPECT_EQ(capped("abcdef", 6), "abcdef");
  EXPECT_EQ(capped("abcdef", 4), "abcd ... [2 more characters left out]");
  EXPECT_EQ(capped("ääää", 2), "ää ... [2 more characters left out]");
}

TEST(PrintableMessage, TenThousandLabelsBecomeOneBoundedLine) {
  std::string message = "unknown labels:";
  for (int i = 0; i < 10000; ++i) message += " label" + std::to_string(i) + "\x1b[0m";
  const std::string shown = printable_message(message);
  EXPECT_EQ(shown.find('\x1b'), std::string::npos);
  EXPECT_EQ(shown.find('\n'), std::string::npos);
  const size_t total = printable(message).size();  // ASCII after escaping: bytes == characters
  EXPECT_TRUE(shown.ends_with(" ... [" + std::to_string(total - kMaxMessageChars) +
                              " more characters left out]"))
      << shown.substr(shown.size() - 80);
  EXPECT_LT(shown.size(), kMaxMessageChars + 60);
}

}  // namespace
}  // namespace finsent
