// Helpers shared by the C++ bench targets: PhraseBank/JSONL readers, timing, one JSON line out.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace finsent::bench {

// PhraseBank sentences (iso-8859-1 "text@label" lines, CRLF) as UTF-8 text, in file order.
inline std::vector<std::string> read_phrasebank_sentences(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    line = line.substr(0, line.rfind('@'));
    std::string utf8;
    for (unsigned char c : line) {
      if (c < 0x80) {
        utf8.push_back(static_cast<char>(c));
      } else {  // Latin-1 -> UTF-8
        utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
        utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
    }
    out.push_back(std::move(utf8));
  }
  return out;
}

// (text, label) rows of a JSONL file of {"text", "label"} objects (what bench/harness.py writes).
inline std::vector<std::pair<std::string, std::string>> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<std::pair<std::string, std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto doc = nlohmann::json::parse(line);
    rows.emplace_back(doc.at("text").get<std::string>(), doc.at("label").get<std::string>());
  }
  return rows;
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Prints the result as one JSON line with this process's peak RSS in MiB (as the Python side does).
inline void emit(nlohmann::json result) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  result["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  std::cout << result.dump() << std::endl;
}

}  // namespace finsent::bench
