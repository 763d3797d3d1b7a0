// Shared helpers of the text tests: locating the shared vocabulary and the PhraseBank.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// Sentences of a PhraseBank file: bytes decoded as ISO-8859-1, split on LF (CR stripped), the
// text before the last '@'. Fails the calling test with a how-to when the file is absent.
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
  const std::string bytes = buffer.str();
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string::npos) nl = bytes.size();
    std::string line = bytes.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    line = line.substr(0, line.rfind('@'));
    std::string utf8;
    for (unsigned char c : line) {
      if (c < 0x80) {
        utf8.push_back(static_cast<char>(c));
      } else {
        utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
        utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    out.push_back(std::move(utf8));
  }
  return out;
}

inline std::string fixture(const std::string& name) {
  return std::string(FINSENT_FIXTURES_DIR) + "/text/" + name;
}

}  // namespace finsent::text::testing
