// Shared helpers of the text tests: locating the shared vocabulary and the PhraseBank, reading
// golden JSONL fixtures.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "finsent/data/dataset.hpp"
#include "finsent/text/encoding.hpp"
#include "finsent/text/wordpiece_tokenizer.hpp"

namespace finsent::text::testing {

inline std::filesystem::path shared_data() {
  const char* env = std::getenv("FINSENT_SHARED_DATA");
  return env ? std::filesystem::path(env)
             : std::filesystem::path(FINSENT_SOURCE_DIR) / ".." / "shared" / "data";
}

// bert-base-uncased's vocab.txt; fails the calling test (not a skip) with a how-to when absent.
inline std::filesystem::path bert_vocab() {
  auto path = shared_data() / "bert-base-uncased" / "vocab.txt";
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "missing " << path
                  << ": set FINSENT_SHARED_DATA to the folder holding bert-base-uncased/vocab.txt "
                     "(download vocab.txt from https://huggingface.co/bert-base-uncased)";
  }
  return path;
}

inline std::filesystem::path phrasebank_dir() {
  if (const char* env = std::getenv("FINSENT_DATA")) return env;
  return shared_data() / "FinancialPhraseBank-v1.0";
}

// Sentences of a PhraseBank file, read by the data layer's PhraseBank reader. Fails the calling
// test with a how-to when the file is absent.
inline std::vector<std::string> phrasebank_sentences(const std::string& name) {
  const auto path = phrasebank_dir() / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE()
        << "missing " << path
        << ": set FINSENT_DATA to the FinancialPhraseBank-v1.0 folder (from "
           "https://huggingface.co/datasets/financial_phrasebank, FinancialPhraseBank-v1.0.zip)";
    return {};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<std::string> out;
  for (auto& e : data::parse_phrasebank(buffer.str(), path.string()))
    out.push_back(std::move(e.text));
  return out;
}

inline std::string fixture(const std::string& name) {
  return std::string(FINSENT_FIXTURES_DIR) + "/text/" + name;
}

// The rows of a JSONL fixture; fails the calling test when the file cannot be opened.
inline std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

// An encoding's offsets as the fixtures hold them: [[begin, end], ...].
inline nlohmann::json offsets_json(const Encoding& e) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [begin, end] : e.offsets) out.push_back({begin, end});
  return out;
}

}  // namespace finsent::text::testing
