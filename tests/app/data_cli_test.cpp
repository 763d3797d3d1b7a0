// `finsent data split|stats` and `finsent baseline` end to end, including their error contract.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

using testing::run_cli;

std::string pb75() {
  return testing::phrasebank_file("Sentences_75Agree.txt").string();
}

TEST(BaselineCli, JsonMatchesScikitLearnOnSentences75Agree) {
  auto r = run_cli({"baseline", "--data", pb75(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["accuracy"].get<double>(), 361.0 / 518.0, 1e-12);
  EXPECT_EQ(j["labels"], (nlohmann::json{"negative", "neutral", "positive"}));
  EXPECT_EQ(j["per_class"]["neutral"]["support"].get<int>(), 309);
  EXPECT_EQ(j["confusion_matrix"].size(), 3u);
  EXPECT_TRUE(j.contains("macro_f1"));
}

TEST(BaselineCli, HumanReportLooksLikeSklearn) {
  auto r = run_cli({"baseline", "--data", pb75()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("    accuracy                         0.6969       518"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("weighted avg"), std::string::npos);
}

TEST(DataCli, StatsGivesTheNotebookSplitCounts) {
  auto r = run_cli({"data", "stats", "--data", pb75(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"].get<int>(), 3453);
  EXPECT_EQ(j["train"]["rows"].get<int>(), 2935);
  EXPECT_EQ(j["test"]["classes"]["negative"]["count"].get<int>(), 72);
  EXPECT_EQ(j["test"]["classes"]["neutral"]["count"].get<int>(), 309);
  EXPECT_EQ(j["test"]["classes"]["positive"]["count"].get<int>(), 137);
  EXPECT_EQ(j["majority_class"], "neutral");
  EXPECT_NEAR(j["majority_accuracy"].get<double>(), 309.0 / 518.0, 1e-12);
}

TEST(DataCli, SplitWritesJsonlInSplitOrder) {
  const auto out = std::filesystem::temp_directory_path() / "finsent_split_cli_test";
  std::filesystem::remove_all(out);
  auto r = run_cli({"data", "split", "--data", pb75(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream test(out / "test.jsonl");
  std::string line;
  size_t n = 0;
  while (std::getline(test, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j["text"].is_string());
    EXPECT_TRUE(j["label"].is_string());
    ++n;
  }
  EXPECT_EQ(n, 518u);
  std::filesystem::remove_all(out);
}

TEST(DataCli, BadInputIsOneLineAndNonZero) {
  const auto bad = std::filesystem::temp_directory_path() / "finsent_cli_bad.txt";
  std::ofstream(bad) << "fine@neutral\nno separator\n";
  auto r = run_cli({"data", "stats", "--data", bad.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "finsent: error: " + bad.string() + ":2: expected 'sentence@label', found no '@'\n");
  std::filesystem::remove(bad);

  r = run_cli({"baseline", "--data", "/nonexistent.txt"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "finsent: error: /nonexistent.txt: no such file\n");
}

// Writes content to a temp file named name; removed when the test's Temp goes out of scope.
struct Temp {
  std::filesystem::path path;
  Temp(const std::string& name, const std::string& content)
      : path(std::filesystem::temp_directory_path() / ("finsent_cli_" + name)) {
    std::ofstream(path, std::ios::binary) << content;
  }
  ~Temp() { std::filesystem::remove(path); }
};

TEST(DataCli, EachBadInputOfTheIssueIsOneLineNamingFileAndLine) {
  const Temp label("label.txt", "fine@neutral\r\nup@bullish\r\n");
  const Temp empty("empty.txt", "");
  const Temp csv("nocol.csv", "sentence,label\n\"a, b\",positive\n");
  const std::pair<std::string, std::string> cases[] = {
      {label.path.string(), label.path.string() +
                                ":2: unknown label 'bullish' (expected positive, negative or "
                                "neutral)"},
      {empty.path.string(), empty.path.string() + ": file is empty"},
      {csv.path.string(),
       csv.path.string() + ":1: missing column 'text' (header has: sentence, label)"},
  };
  for (const auto& [file, message] : cases) {
    for (const std::string cmd : {"stats", "split"}) {
      std::vector<std::string> args{"data", cmd, "--data", file};
      if (cmd == "split") args.insert(args.end(), {"--out", "/tmp/finsent_cli_never"});
      auto r = run_cli(args);
      EXPECT_EQ(r.exit_code, 1) << cmd;
      EXPECT_EQ(r.err, "finsent: error: " + message + "\n") << cmd;
      EXPECT_EQ(r.out, "") << cmd;
    }
  }
  EXPECT_FALSE(std::filesystem::exists("/tmp/finsent_cli_never/train.jsonl"));
  // The same CSV read with the right column works.
  auto r = run_cli({"data", "stats", "--data", csv.path.string(), "--text-column", "sentence",
                    "--json", "--test-ratio", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["train"]["classes"]["positive"]["count"], 1);
}

// UTF-16LE with a BOM, as Excel's "Unicode text" export writes it.
std::string utf16le(const std::string& ascii) {
  std::string out = "\xff\xfe";
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}

TEST(DataCli, MessagesQuotingUtf16TextAreNotCutAtTheFirstNul) {
  const Temp csv("utf16.csv", utf16le("text,label\nprofit rose,positive\n"));
  auto r = run_cli({"data", "stats", "--data", csv.path.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find('\0'), std::string::npos);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // The whole header is quoted, NULs shown as \x00, up to the message's closing parenthesis.
  EXPECT_NE(r.err.find("t\\x00e\\x00x\\x00t\\x00"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("l\\x00a\\x00b\\x00e\\x00l\\x00"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.substr(r.err.size() - 2), ")\n") << r.err;
}

TEST(DataCli, StatsShowsLabelsAndFileNamesWithTerminalControlsEscaped) {
  const Temp csv("esc\x1b[2J.csv",
                 "text,label\nprofit rose,\x1b[31mred\nloss,plain\nflat,plain\nup,plain\n");
  auto r = run_cli({"data", "stats", "--data", csv.path.string(), "--test-ratio", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\x1b[31mred"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("esc\\x1b[2J.csv"), std::string::npos) << r.out;
}

TEST(DataCli, SplitOrderIsThePythonShuffle) {
  const auto ref = nlohmann::json::parse(testing::read_text(
      testing::fixture("data/phrasebank_reference.json")))["files"]["Sentences_AllAgree.txt"];
  const auto out = std::filesystem::temp_directory_path() / "finsent_split_order_test";
  std::filesystem::remove_all(out);
  auto r = run_cli({"data", "split", "--data",
                    testing::phrasebank_file("Sentences_AllAgree.txt").string(), "--out",
                    out.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["test_rows"], 340);
  // The fixture holds Python's split as source line numbers; every written row must be that line.
  std::vector<std::string> source;  // texts of the source lines, iso-8859-1 -> UTF-8
  {
    std::ifstream in(testing::phrasebank_file("Sentences_AllAgree.txt"), std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      std::string text;
      for (unsigned char c : line.substr(0, line.rfind('@'))) {
        if (c < 0x80) {
          text += static_cast<char>(c);
        } else {
          text += static_cast<char>(0xC0 | (c >> 6));
          text += static_cast<char>(0x80 | (c & 0x3F));
        }
      }
      source.push_back(text);
    }
  }
  const auto order = ref["line_order"].get<std::vector<size_t>>();
  size_t i = 0;
  for (const char* part : {"train.jsonl", "test.jsonl"}) {
    std::ifstream in(out / part);
    std::string line;
    for (; std::getline(in, line); ++i) {
      ASSERT_LT(i, order.size());
      EXPECT_EQ(nlohmann::json::parse(line)["text"].get<std::string>(), source[order[i] - 1])
          << part << " row " << i;
    }
  }
  EXPECT_EQ(i, order.size());
  std::filesystem::remove_all(out);
}

TEST(DataCli, StratifiedSplitKeepsSharesWithinOneRow) {
  auto r = run_cli({"data", "stats", "--data", pb75(), "--stratify", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  // int(420 * .85) = 357, int(2146 * .85) = 1824, int(887 * .85) = 753
  EXPECT_EQ(j["test"]["classes"]["negative"]["count"], 63);
  EXPECT_EQ(j["test"]["classes"]["neutral"]["count"], 322);
  EXPECT_EQ(j["test"]["classes"]["positive"]["count"], 134);
}

TEST(DataCli, UsageErrorsExitWithTwo) {
  auto r = run_cli({"data", "stats"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("finsent: error: ", 0), 0u) << r.err;
  r = run_cli({"baseline", "--data", pb75(), "--test-ratio", "1.5"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli({"data", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("split"), std::string::npos);
}

}  // namespace
}  // namespace finsent
