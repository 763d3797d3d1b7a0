// A tiny PhraseBank-format file the training tests train on.
#pragma once

#include <filesystem>
#include <fstream>
#include <utility>

namespace finsent::testing {

// Writes 36 sentences in PhraseBank format to `file` (the label follows the verb), creating its
// folder.
inline void write_data(const std::filesystem::path& file) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  const char* subjects[] = {"the company", "net sales",          "operating profit",
                            "the bank",    "finnish oyj shares", "the market"};
  const std::pair<const char*, const char*> verbs[] = {
      {"rose", "positive"},      {"increased", "positive"}, {"fell", "negative"},
      {"decreased", "negative"}, {"was", "neutral"},        {"is", "neutral"}};
  for (const char* s : subjects)
    for (const auto& [v, label] : verbs)
      out << s << ' ' << v << " in the quarter .@" << label << "\n";
}

}  // namespace finsent::testing
