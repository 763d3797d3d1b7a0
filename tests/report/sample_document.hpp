// A report Document using every block and chart type, with hostile strings, shared by the tests.
#pragma once

#include <cmath>
#include <string>

#include "finsent/report/bar_chart.hpp"
#include "finsent/report/confusion_heatmap.hpp"
#include "finsent/report/document.hpp"
#include "finsent/report/histogram.hpp"
#include "finsent/report/line_chart.hpp"

namespace finsent::report::testing {

// Text that breaks naive XML, HTML and Markdown writers all at once.
inline const std::string kHostile =
    "<script>alert('x')</script> & \"quotes\" *bold* _u_ [link](http://example.com) `tick` | pipe";

inline Document sample_document() {
  Document doc;
  doc.title = "Lab report <" + std::string("test") + "> & more";
  doc.intro.push_back({{plain("Data: "), code("data/Sentences_50Agree.txt"), plain(". "),
                        strong("Total 12.5 s.")}});

  Section data{"data", "Data & class balance", {}};
  data.blocks.push_back(Paragraph{{plain(kHostile)}});
  data.blocks.push_back(Figure{
      "class-balance", "Examples per class (all/train/test)",
      render_bar_chart(
          {"Class balance",
           "examples",
           {"negative", "neutral", "positive"},
           {{"all", {604, 2879, 1363}}, {"train", {513, 2447, 1158}}, {"test", {91, 432, 205}}}})});
  data.blocks.push_back(Figure{"lengths", "Tokens per sentence",
                               render_histogram({"Token lengths",
                                                 "tokens per sentence",
                                                 "sentences",
                                                 {12, 15, 15, 22, 31, 40, 40, 41, 55, 71, 96},
                                                 0,
                                                 {{64, "MAX_LEN 64"}, {48.5, "p95 48.5"}}})});
  doc.sections.push_back(std::move(data));

  Section train{"training", "Training", {}};
  Series loss{"frozen", {}}, loss2{"unfrozen", {}};
  for (int i = 0; i <= 40; ++i) {
    loss.points.emplace_back(i * 0.1, 1.1 * std::exp(-i * 0.05) + 0.3);
    loss2.points.emplace_back(i * 0.05, 1.0 * std::exp(-i * 0.1) + 0.1);
  }
  train.blocks.push_back(
      Figure{"loss", "Training loss",
             render_line_chart({"Training loss", "epoch", "loss", {loss, loss2}})});
  train.blocks.push_back(
      Figure{"lr", "Learning rate",
             render_line_chart(
                 {"Learning rate", "step", "lr", {{"unfrozen", {{0, 0}, {10, 5e-5}, {100, 0}}}}})});
  train.blocks.push_back(CodeBlock{"epoch 1/3 step 10/30 loss 0.99 ```` </code>"});
  doc.sections.push_back(std::move(train));

  Section results{"results", "Results", {}};
  results.blocks.push_back(
      Figure{"confusion-nb", "Naive Bayes confusion matrix",
             render_confusion_heatmap({"NB <baseline>",
                                       {"negative", "neutral", "positive"},
                                       {{61, 20, 10}, {5, 410, 17}, {12, 40, 153}}})});
  results.blocks.push_back(
      Table{{"model", "accuracy", "macro-F1"},
            {{"naive bayes | tf-idf", "0.7923", "0.7012"}, {kHostile, "0.8541", "0.8300"}},
            {Align::Left, Align::Right, Align::Right}});
  results.blocks.push_back(
      BulletList{{{{plain("item one")}}, {{code("a`b"), plain(" item <two>")}}}});
  results.blocks.push_back(
      Note{Note::Kind::Error, "stage 'unfrozen' failed: out of <memory> & time"});
  doc.sections.push_back(std::move(results));
  return doc;
}

}  // namespace finsent::report::testing
