// `finsent tokenize` end to end: the built CLI against known bert-base-uncased ids.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

struct CliRun {
  int status;
  std::string out;
};

// `stdin_text` is a printf format: backslash-n for newlines, %% for a percent sign.
CliRun run_cli(const std::string& args, const std::string& stdin_text = "") {
  const std::string cmd = "printf '" + stdin_text + "' | '" + std::string(FINSENT_BINARY) +
                          "' tokenize " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  CliRun r{-1, ""};
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  r.status = pclose(pipe);
  return r;
}

TEST(TokenizeCli, InputJsonlGivesOneObjectPerLine) {
  const auto vocab = testing::bert_vocab().string();
  const CliRun r = run_cli("--vocab '" + vocab + "' --input-jsonl",
                           "\"Sales rose 5%%.\"\\n{\"text\": \"[MASK] fell\"}\\n");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out,
            "{\"attention_mask\":[1,1,1,1,1,1,1],\"ids\":[101,4341,3123,1019,1003,1012,102],"
            "\"tokens\":[\"[CLS]\",\"sales\",\"rose\",\"5\",\"%\",\".\",\"[SEP]\"]}\n"
            "{\"attention_mask\":[1,1,1,1],\"ids\":[101,103,3062,102],"
            "\"tokens\":[\"[CLS]\",\"[MASK]\",\"fell\",\"[SEP]\"]}\n");
}

TEST(TokenizeCli, TextArgumentsWithTruncationAndNoSpecials) {
  const auto vocab = testing::bert_vocab().string();
  const CliRun r =
      run_cli("--vocab '" + vocab + "' --no-special --max-len 2 'Operating profit rose'");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("ids:     [4082, 5618]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("decoded: operating profit"), std::string::npos) << r.out;
}

TEST(TokenizeCli, ErrorsAreOneLineWithExitCodes) {
  const auto vocab = testing::bert_vocab().string();
  CliRun r = run_cli("--vocab '" + vocab + "' --input-jsonl", "[1, 2]\\n");
  EXPECT_EQ(WEXITSTATUS(r.status), 1);
  EXPECT_EQ(r.out,
            "finsent: error: stdin:1: expected a JSON string or an object with a string field "
            "\"text\"\n");
  r = run_cli("hello");
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  EXPECT_EQ(r.out, "finsent: error: tokenize needs --model DIR or --vocab FILE\n");
}

}  // namespace
}  // namespace finsent::text
