// Readers: PhraseBank bytes, CSV and TSV as Python reads them, JSONL, and one-line errors for bad
// input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/test_data.hpp"
#include "finsent/core/error.hpp"
#include "finsent/data/dataset.hpp"
#include "finsent/data/label_encoder.hpp"

namespace finsent::data {
namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no InputError>";
}

TEST(PhraseBank, Latin1CrlfAndLastAt) {
  const std::string bytes =
      "Caf\xe9 sales @ 5% rose@positive\r\nNo change@neutral\n\r\nDown@negative";
  auto rows = parse_phrasebank(bytes, "pb.txt");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text, "Caf\xc3\xa9 sales @ 5% rose");
  EXPECT_EQ(rows[0].label, "positive");
  EXPECT_EQ(rows[1].text, "No change");
  EXPECT_EQ(rows[2].label, "negative");
}

TEST(PhraseBank, LoneCarriageReturnAndNextLineStayInText) {
  // U+0085 (byte 0x85 in iso-8859-1) and a lone CR are not line breaks in this format.
  auto rows = parse_phrasebank("a\rb\x85 c@neutral\n", "pb.txt");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "a\rb\xc2\x85 c");
}

TEST(PhraseBank, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of([] { parse_phrasebank("ok@neutral\nno label here\n", "pb.txt"); }),
            "pb.txt:2: expected 'sentence@label', found no '@'");
  EXPECT_EQ(error_of([] { parse_phrasebank("ok@neutral\r\nx@bullish\r\n", "pb.txt"); }),
            "pb.txt:2: unknown label 'bullish' (expected positive, negative or neutral)");
  EXPECT_EQ(error_of([] { parse_phrasebank("\n\n", "pb.txt"); }),
            "pb.txt: no examples (only blank lines)");
}

TEST(PhraseBank, AllFourReleaseFilesLoadWithTheirCounts) {
  const std::pair<const char*, size_t> files[] = {{"Sentences_50Agree.txt", 4846},
                                                  {"Sentences_66Agree.txt", 4217},
                                                  {"Sentences_75Agree.txt", 3453},
                                                  {"Sentences_AllAgree.txt", 2264}};
  for (const auto& [name, n] : files) {
    auto rows = load_examples({.path = testing::phrasebank_file(name)});
    EXPECT_EQ(rows.size(), n) << name;
    EXPECT_EQ(LabelEncoder::fit(rows).labels(),
              (std::vector<std::string>{"negative", "neutral", "positive"}));
  }
}

class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(std::filesystem::temp_directory_path() / ("finsent_data_test_" + name)) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(Csv, Rfc4180QuotingAndColumnChoice) {
  TempFile f("q.csv",
             "id,sentence,sentiment\r\n1,\"Profit, up \"\"a "
             "lot\"\"\",positive\r\n2,\"two\nlines\",neutral\n");
  auto rows =
      load_examples({.path = f.path(), .text_column = "sentence", .label_column = "sentiment"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "Profit, up \"a lot\"");
  EXPECT_EQ(rows[1].text, "two\nlines");
  EXPECT_EQ(rows[1].label, "neutral");
}

TEST(Csv, MissingColumnAndShortRowAreLineErrors) {
  TempFile f("m.csv", "text,lbl\nhello,positive\n");
  EXPECT_EQ(error_of([&] { load_examples({.path = f.path()}); }),
            f.path().string() + ":1: missing column 'label' (header has: text, lbl)");
  TempFile g("s.csv", "text,label\nhello,positive\nshort\n");
  EXPECT_EQ(error_of([&] { load_examples({.path = g.path()}); }),
            g.path().string() + ":3: row has 1 fields, expected 2");
  TempFile h("u.csv", "text,label\n\"open,positive\n");
  EXPECT_EQ(error_of([&] { load_examples({.path = h.path()}); }),
            h.path().string() +
                ":2: quoted field never closed (Python's csv module would read the rest of the "
                "file into it)");
}

TEST(Csv, TheIssuesRowKeepsItsQuotesAsPythonReadsIt) {
  TempFile f("issue.csv", "text,label\nProfit \"rose\" sharply .,positive\n\"a\"b,neutral\n");
  auto rows = load_examples({.path = f.path()});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "Profit \"rose\" sharply .");
  EXPECT_EQ(rows[1].text, "ab");
  TempFile t("issue.tsv", "\xEF\xBB\xBFtext\tlabel\r\nProfit \"rose\"\tpositive\r\n");
  rows = load_examples({.path = t.path()});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "Profit \"rose\"");
}

TEST(Tsv, ReadsTabSeparated) {
  TempFile f("t.tsv", "label\ttext\nnegative\tShares fell, sharply\n");
  auto rows = load_examples({.path = f.path()});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text, "Shares fell, sharply");
}

TEST(Jsonl, FieldsAndErrors) {
  TempFile f(
      "j.jsonl",
      "{\"text\": \"caf\\u00e9\", \"label\": \"positive\"}\n\n{\"text\": \"x\", \"label\": 2}\n");
  auto rows = load_examples({.path = f.path()});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "caf\xc3\xa9");
  EXPECT_EQ(rows[1].label, "2");
  TempFile g("bad.jsonl", "{\"text\": \"a\", \"label\": \"b\"}\n{\"text\": \n");
  EXPECT_TRUE(error_of([&] {
                load_examples({.path = g.path()});
              }).starts_with(g.path().string() + ":2: malformed JSON"));
  TempFile h("miss.jsonl", "{\"sentence\": \"a\", \"label\": \"b\"}\n");
  EXPECT_EQ(error_of([&] { load_examples({.path = h.path()}); }),
            h.path().string() + ":1: missing field 'text'");
  // A number beyond double range is nlohmann's out_of_range, not parse_error (found by fuzzing).
  TempFile k("huge.jsonl", "{\"text\": \"a\", \"label\": \"b\", \"score\": 1e999}\n");
  EXPECT_TRUE(error_of([&] {
                load_examples({.path = k.path()});
              }).starts_with(k.path().string() + ":1: malformed JSON"));
}

TEST(Files, MissingEmptyAndUnknownFormat) {
  EXPECT_EQ(error_of([] { load_examples({.path = "/nonexistent/x.txt"}); }),
            "/nonexistent/x.txt: no such file");
  TempFile e("empty.txt", "");
  EXPECT_EQ(error_of([&] { load_examples({.path = e.path()}); }),
            e.path().string() + ": file is empty");
  TempFile u("x.txt", "a@neutral\n");
  EXPECT_EQ(error_of([&] { load_examples({.path = u.path(), .format = "xml"}); }),
            "unknown data format 'xml' (expected phrasebank, csv, tsv or jsonl)");
}

TEST(LabelEncoder, SortedLikeSklearnAndStrict) {
  auto enc = LabelEncoder::fit({{"a", "positive"}, {"b", "negative"}, {"c", "neutral"}});
  EXPECT_EQ(enc.encode("negative"), 0);
  EXPECT_EQ(enc.encode("neutral"), 1);
  EXPECT_EQ(enc.encode("positive"), 2);
  EXPECT_EQ(error_of([&] { enc.encode("bullish"); }),
            "unknown label 'bullish' (known: negative, neutral, positive)");
  EXPECT_THROW(LabelEncoder::from_labels({"a", "a"}), InputError);
}

}  // namespace
}  // namespace finsent::data
