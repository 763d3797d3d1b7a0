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
  const auto encoder = data::LabelEncoder::fit(split.train);
  TfidfVectorizer vectorizer;
  vectorizer.fit(texts(split.train));
  MultinomialNB nb;
  nb.fit(vectorizer.transform(texts(split.train)), encoder.encode_all(split.train),
         static_cast<int>(encoder.size()));
  BaselineResult result;
  result.labels = encoder.labels();
  result.y_true = encoder.encode_all(split.test);
  result.y_pred = nb.predict(vectorizer.transform(texts(split.test)));
  result.vocabulary_size = vectorizer.vocabulary().size();
  return result;
}

}  // namespace finsent::baseline
