// Baseline pipeline: fit TF-IDF + NB on train, predict test.
#include "finsent/baseline/naive_bayes_baseline.hpp"

#include "finsent/baseline/multinomial_nb.hpp"
#include "finsent/baseline/tfidf_vectorizer.hpp"
#include "finsent/data/label_encoder.hpp"

namespace finsent::baseline {
namespace {
std::vector<std::string> texts(const std::vector<data::Example>& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text);
  return out;
}
}  // namespace

BaselineResult run_naive_bayes_baseline(const data::Split& split) {
  // MultinomialNB.fit learns the training split's classes only (classes_ = unique(y_train)).
  const auto classes = data::LabelEncoder::fit(split.train);
  std::vector<data::Example> all = split.train;
  all.insert(all.end(), split.test.begin(), split.test.end());
  const auto labels = data::LabelEncoder::fit(all);
  TfidfVectorizer vectorizer;
  vectorizer.fit(texts(split.train));
  MultinomialNB nb;
  nb.fit(vectorizer.transform(texts(split.train)), classes.encode_all(split.train),
         static_cast<int>(classes.size()));
  BaselineResult result;
  result.labels = labels.labels();
  result.y_true = labels.encode_all(split.test);
  for (const int c : nb.predict(vectorizer.transform(texts(split.test)))) {
    result.y_pred.push_back(labels.encode(classes.decode(c)));
  }
  result.vocabulary_size = vectorizer.vocabulary().size();
  return result;
}

}  // namespace finsent::baseline
