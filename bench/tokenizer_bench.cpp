// Tokenizer throughput over the PhraseBank: sentences/s and MB/s, one thread and all threads.
// Usage: tokenizer_bench VOCAB_OR_MODEL PHRASEBANK_TXT [REPEATS=5] [THREADS=0 (all)]
// Prints one JSON object; bench/tokenizer_vs_hf.py compares it with Hugging Face tokenizers.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "finsent/core/threads.hpp"
#include "finsent/text/wordpiece_tokenizer.hpp"

namespace {

// PhraseBank lines (ISO-8859-1, CRLF) as UTF-8 sentences, the text before the last '@'.
std::vector<std::string> read_sentences(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "tokenizer_bench: cannot open " << path << "\n";
    std::exit(1);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<std::string> out;
  std::string line;
  std::istringstream lines(buffer.str());
  while (std::getline(lines, line)) {
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

template <typename F>
double best_seconds(int repeats, F&& run) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tokenizer_bench VOCAB_OR_MODEL PHRASEBANK_TXT [REPEATS] [THREADS]\n";
    return 2;
  }
  const auto tokenizer = finsent::text::WordPieceTokenizer::load(argv[1]);
  const auto sentences = read_sentences(argv[2]);
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 0;
  size_t bytes = 0;
  for (const auto& s : sentences) bytes += s.size();
  size_t tokens = 0;
  for (const auto& s : sentences) tokens += tokenizer.encode(s).ids.size();  // also warms up

  const double single = best_seconds(repeats, [&] {
    size_t n = 0;
    for (const auto& s : sentences) n += tokenizer.encode(s).ids.size();
    if (n != tokens) std::abort();
  });
  finsent::set_num_threads(threads);
  const double batch = best_seconds(repeats, [&] {
    const auto out = tokenizer.encode_batch(sentences);
    if (out.size() != sentences.size()) std::abort();
  });
  const double mb = static_cast<double>(bytes) / 1e6;
  const double n = static_cast<double>(sentences.size());
  std::printf(
      "{\"impl\": \"finsent\", \"sentences\": %zu, \"bytes\": %zu, \"tokens\": %zu, "
      "\"threads\": %d, \"single_s\": %.6f, \"single_sent_per_s\": %.1f, \"single_mb_per_s\": "
      "%.3f, "
      "\"batch_s\": %.6f, \"batch_sent_per_s\": %.1f, \"batch_mb_per_s\": %.3f}\n",
      sentences.size(), bytes, tokens, finsent::num_threads(), single, n / single, mb / single,
      batch, n / batch, mb / batch);
  return 0;
}
