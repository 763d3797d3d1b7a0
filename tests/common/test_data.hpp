// Where tests find shared data (PhraseBank, vocab) and committed fixtures; absent data fails
// loudly.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace finsent::testing {

// ../shared/data beside the checkout (CTest sets FINSENT_SHARED_DATA).
inline std::filesystem::path shared_data_dir() {
  if (const char* env = std::getenv("FINSENT_SHARED_DATA")) return env;
  return std::filesystem::path(FINSENT_SOURCE_DIR) / ".." / "shared" / "data";
}

// The PhraseBank release folder: FINSENT_DATA, else shared/data/FinancialPhraseBank-v1.0.
inline std::filesystem::path phrasebank_dir() {
  if (const char* env = std::getenv("FINSENT_DATA")) return env;
  return shared_data_dir() / "FinancialPhraseBank-v1.0";
}

// Path of one release file; records a test failure with a how-to when it is missing.
inline std::filesystem::path phrasebank_file(const std::string& name) {
  auto path = phrasebank_dir() / name;
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE()
        << "missing " << path
        << ": set FINSENT_DATA to the FinancialPhraseBank-v1.0 folder (the release zip "
           "FinancialPhraseBank-v1.0.zip, e.g. from the Hub dataset financial_phrasebank)";
  }
  return path;
}

inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(FINSENT_FIXTURES_DIR) / relative;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace finsent::testing
