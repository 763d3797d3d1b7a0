// Tokenizer throughput over the PhraseBank: sentences/s and MB/s, one thread and all threads.
// Usage: tokenizer_bench VOCAB_OR_MODEL PHRASEBANK_TXT [REPEATS=5] [THREADS=0 (all)]
// Prints one JSON object; bench/tokenizer_vs_hf.py compares it with Hugging Face tokenizers.
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
#include "finsent/core/threads.hpp"
#include "finsent/text/tokenizer.hpp"

namespace {

// PhraseBank lines (ISO-8859-1, CRLF) as UTF-8 sentences, the text before the last '@'.
double cpu_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct Timing {
  double wall = 1e300, cpu = 1e300;  // best of the repeats, seconds
};

// Wall time and process CPU time (the fair single-thread figure on a shared, loaded machine).
template <typename F>
Timing best_of(int repeats, F&& run) {
  Timing best;
  for (int r = 0; r < repeats; ++r) {
    const double cpu = cpu_now();
    const auto start = std::chrono::steady_clock::now();
    run();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best.wall = std::min(best.wall, took.count());
    best.cpu = std::min(best.cpu, cpu_now() - cpu);
  }
  return best;
}

}  // namespace

static int run(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tokenizer_bench VOCAB_OR_MODEL PHRASEBANK_TXT [REPEATS] [THREADS]\n";
    return 2;
  }
  const auto tokenizer_ptr = finsent::text::load_tokenizer(argv[1]);
  const finsent::text::Tokenizer& tokenizer = *tokenizer_ptr;
  const auto sentences = finsent::bench::read_phrasebank_sentences(argv[2]);
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 0;
  size_t bytes = 0;
  for (const auto& s : sentences) bytes += s.size();
  size_t tokens = 0;
  for (const auto& s : sentences) tokens += tokenizer.encode(s).ids.size();  // also warms up

  const Timing single = best_of(repeats, [&] {
    size_t n = 0;
    for (const auto& s : sentences) n += tokenizer.encode(s).ids.size();
    if (n != tokens) std::abort();
  });
  finsent::set_num_threads(threads);
  const Timing batch = best_of(repeats, [&] {
    const auto out = tokenizer.encode_batch(sentences);
    if (out.size() != sentences.size()) std::abort();
  });
  const double mb = static_cast<double>(bytes) / 1e6;
  const double n = static_cast<double>(sentences.size());
  std::printf(
      "{\"impl\": \"finsent\", \"sentences\": %zu, \"bytes\": %zu, \"tokens\": %zu, "
      "\"threads\": %d, \"single_s\": %.6f, \"single_cpu_s\": %.6f, \"single_sent_per_s\": %.1f, "
      "\"single_mb_per_s\": %.3f, \"batch_s\": %.6f, \"batch_sent_per_s\": %.1f, "
      "\"batch_mb_per_s\": %.3f}\n",
      sentences.size(), bytes, tokens, finsent::num_threads(), single.wall, single.cpu,
      n / single.wall, mb / single.wall, batch.wall, n / batch.wall, mb / batch.wall);
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "tokenizer_bench: " << e.what() << "\n";
    return 1;
  }
}
