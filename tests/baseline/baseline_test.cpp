// TF-IDF + NB: analyzer semantics, idf formula, and predictions identical to scikit-learn's.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/test_data.hpp"
#include "finsent/baseline/multinomial_nb.hpp"
#include "finsent/baseline/naive_bayes_baseline.hpp"
#include "finsent/baseline/tfidf_vectorizer.hpp"
#include "finsent/core/error.hpp"
#include "finsent/data/dataset.hpp"

namespace finsent::baseline {
namespace {

TEST(Analyzer, WordRunsOfTwoOrMoreLowercased) {
  EXPECT_EQ(analyze("EUR 5.2 mn, a Q3 rise of 12% -- Café_Ltd's"),
            (std::vector<std::string>{"eur", "mn", "q3", "rise", "of", "12", "café_ltd"}));
  EXPECT_EQ(analyze("ÄÖ x \xff\xfe yz"), (std::vector<std::string>{"äö", "yz"}));
}

TEST(TfidfVectorizer, SmoothIdfAndL2Rows) {
  TfidfVectorizer v;
  v.fit({"profit rose", "profit fell", "loss"});
  EXPECT_EQ(v.vocabulary(), (std::vector<std::string>{"fell", "loss", "profit", "rose"}));
  EXPECT_NEAR(v.idf()[2], std::log(4.0 / 3.0) + 1.0, 1e-15);
  auto m = v.transform({"profit profit unknown", "nothing known"});
  ASSERT_EQ(m.rows(), 2u);
  EXPECT_EQ(m.row_ptr[1], 1);  // one known term, normalised to 1
  EXPECT_NEAR(m.values[0], 1.0, 1e-15);
  EXPECT_EQ(m.row_ptr[2], 1);  // empty row stays empty
}

TEST(TfidfVectorizer, EmptyVocabularyIsAnInputError) {
  TfidfVectorizer v;
  EXPECT_THROW(v.fit({"a b c", "1 ? !"}), InputError);
}

TEST(MultinomialNB, ClassIndexOutOfRangeIsAnInputError) {
  TfidfVectorizer v;
  v.fit({"profit rose", "loss"});
  MultinomialNB nb;
  EXPECT_THROW(nb.fit(v.transform({"profit rose", "loss"}), {0, 2}, 2), InputError);
}

TEST(NaiveBayesBaseline, TestOnlyLabelIsScoredButNeverPredicted) {
  // As scikit-learn: NB's classes_ are the training labels; the test's label set still counts.
  data::Split split{.train = {{"profit rose", "positive"}, {"loss widened", "negative"}},
                    .test = {{"sales flat", "neutral"}, {"profit rose", "positive"}}};
  const auto result = run_naive_bayes_baseline(split);
  EXPECT_EQ(result.labels, (std::vector<std::string>{"negative", "neutral", "positive"}));
  EXPECT_EQ(result.y_true, (std::vector<int>{1, 2}));
  EXPECT_EQ(result.y_pred[1], 2);
  EXPECT_NE(result.y_pred[0], 1);
}

TEST(NaiveBayesBaseline, SamePredictionsAsScikitLearnOnAllFourFiles) {
  const auto ref = nlohmann::json::parse(
      testing::read_text(testing::fixture("data/phrasebank_reference.json")))["files"];
  for (const auto& [name, expected] : ref.items()) {
    auto rows = data::load_examples({.path = testing::phrasebank_file(name)});
    auto result = run_naive_bayes_baseline(data::split_train_test(rows, {}));
    EXPECT_EQ(result.vocabulary_size, expected["vocabulary_size"].get<size_t>()) << name;
    EXPECT_EQ(result.y_pred, expected["test_predictions"].get<std::vector<int>>()) << name;
    int correct = 0;
    for (size_t i = 0; i < result.y_pred.size(); ++i)
      correct += result.y_pred[i] == result.y_true[i];
    EXPECT_EQ(correct, expected["test_correct"].get<int>()) << name;
  }
}

}  // namespace
}  // namespace finsent::baseline
