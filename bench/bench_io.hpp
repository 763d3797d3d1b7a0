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

#include "finsent/core/allocator.hpp"
#include "finsent/core/blas_kernels.hpp"
#include "finsent/data/dataset.hpp"

namespace finsent::bench {

// PhraseBank sentences as UTF-8 text, in file order, read by the data layer's PhraseBank reader.
inline std::vector<std::string> read_phrasebank_sentences(const std::string& path) {
  std::vector<std::string> out;
  for (auto& e : data::load_examples({.path = path, .format = "phrasebank"})) {
    out.push_back(std::move(e.text));
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
  result["blas_core"] = finsent::blas_core_name();
  result["malloc"] = finsent::allocator_name();
  result["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  std::cout << result.dump() << std::endl;
}

}  // namespace finsent::bench
