// NB baseline fit + predict time (TF-IDF + multinomial NB) on the notebook's split of a PhraseBank
// file. Usage: nb_bench PHRASEBANK_TXT   Prints {"seconds", "accuracy", "n_train", "n_test"};
// bench/ref_nb.py times scikit-learn's CountVectorizer + TfidfTransformer + MultinomialNB on the
// same split.
#include "bench_io.hpp"
#include "finsent/baseline/naive_bayes_baseline.hpp"
#include "finsent/data/dataset.hpp"

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::cerr << "usage: nb_bench PHRASEBANK_TXT\n";
    return 2;
  }
  const auto split = finsent::data::split_train_test(finsent::data::load_examples({argv[1]}), {});
  finsent::baseline::run_naive_bayes_baseline(split);  // warm-up (allocator, page faults)
  const auto start = std::chrono::steady_clock::now();
  const auto result = finsent::baseline::run_naive_bayes_baseline(split);
  const double seconds = finsent::bench::seconds_since(start);
  size_t correct = 0;
  for (size_t i = 0; i < result.y_true.size(); ++i) correct += result.y_true[i] == result.y_pred[i];
  finsent::bench::emit(
      {{"seconds", seconds},
       {"accuracy", static_cast<double>(correct) / static_cast<double>(result.y_true.size())},
       {"n_train", split.train.size()},
       {"n_test", split.test.size()}});
  return 0;
} catch (const std::exception& e) {
  std::cerr << "nb_bench: " << e.what() << "\n";
  return 1;
}
