// Unigram (SentencePiece) throughput over the PhraseBank: the Precompiled charsmap, Metaspace and
// the Unigram model of a fixture tokenizer.json, one thread.
// Usage: sentencepiece_bench FIXTURE_DIR PHRASEBANK_TXT [REPEATS=5]
// FIXTURE_DIR is tests/fixtures/text/sentencepiece; prints one JSON object that
// bench/tokenizer_vs_hf.py --unigram compares with Hugging Face tokenizers on the same components.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_io.hpp"
#include "sentencepiece_segmenter.hpp"

namespace {

using namespace finsent::text;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

SentencePieceSegmenter xlm_roberta(const std::string& dir) {
  const auto doc = nlohmann::json::parse(read(dir + "/xlm-roberta/tokenizer.json"));
  std::vector<std::pair<std::string, double>> vocab;
  for (const auto& p : doc["model"]["vocab"]) vocab.emplace_back(p[0], p[1].get<double>());
  return SentencePieceSegmenter(PrecompiledCharsmap(read(dir + "/nmt_nfkc.charsmap")),
                                Metaspace{U'\u2581', PrependScheme::Always, true},
                                UnigramModel(std::move(vocab), {3, false, true}));
}

int run(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: sentencepiece_bench FIXTURE_DIR PHRASEBANK_TXT [REPEATS]\n";
    return 2;
  }
  const auto segmenter = xlm_roberta(argv[1]);
  const auto sentences = finsent::bench::read_phrasebank_sentences(argv[2]);
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  size_t bytes = 0, tokens = 0;
  std::vector<SegmentToken> out;
  for (const auto& s : sentences) {
    bytes += s.size();
    out.clear();
    segmenter.encode(s, 0, s.size(), true, out);
    tokens += out.size();
  }
  double wall = 1e300, cpu = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const double c0 = cpu_now();
    const auto t0 = std::chrono::steady_clock::now();
    size_t n = 0;
    for (const auto& s : sentences) {
      out.clear();
      segmenter.encode(s, 0, s.size(), true, out);
      n += out.size();
    }
    if (n != tokens) std::abort();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    wall = std::min(wall, took.count());
    cpu = std::min(cpu, cpu_now() - c0);
  }
  std::printf(
      "{\"impl\": \"finsent\", \"model\": \"unigram\", \"sentences\": %zu, \"bytes\": %zu, "
      "\"tokens\": %zu, \"single_s\": %.6f, \"single_cpu_s\": %.6f}\n",
      sentences.size(), bytes, tokens, wall, cpu);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "sentencepiece_bench: " << e.what() << "\n";
    return 1;
  }
}
