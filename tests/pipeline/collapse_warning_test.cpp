// collapse_warning: the message and the advice for frozen, unfrozen and unknown training.
#include <gtest/gtest.h>

#include <fstream>

#include "finsent/pipeline/collapse_warning.hpp"
#include "finsent/train/train_options.hpp"

namespace finsent::pipeline {
namespace {

using train::to_json;
using train::TrainOptions;

eval::ClassificationReport neutral_everywhere() {
  return eval::classification_report({1, 1, 1, 0, 2, 0}, {1, 1, 1, 1, 1, 1},
                                     {"negative", "neutral", "positive"});
}

TEST(CollapseWarning, FrozenRunGetsTheFrozenAdvice) {
  TrainOptions o;
  o.freeze_encoder = true;
  o.head = "linear";
  o.learning_rate = 5e-5;
  const auto w = collapse_warning(neutral_everywhere(), "test sentences", to_json(o));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->message,
            "the model predicts 'neutral' for all 6 test sentences: its accuracy 0.5000 is only "
            "the share of 'neutral' (the majority class) and its macro-F1 is 0.2222; it has "
            "learned the class balance, not the task. What helps: with a frozen encoder, "
            "--standardize-features (unit-scale features let the head's steps count), --head mean "
            "(the pooling sentence-transformers encoders such as all-MiniLM-L6-v2 were trained "
            "for), a higher --lr for the head alone (e.g. 1e-3; this run used 5e-05) or more "
            "--epochs; or fine-tune the whole model (without --freeze-encoder)");
  // What the run already did is not suggested again.
  o.standardize_features = true;
  o.head = "mean";
  const auto done = collapse_warning(neutral_everywhere(), "test sentences", to_json(o));
  EXPECT_EQ(done->message.find("--standardize-features"), std::string::npos);
  EXPECT_EQ(done->message.find("--head mean"), std::string::npos);
  const nlohmann::json j = collapse_json(done);
  EXPECT_EQ(j["label"], "neutral");
  EXPECT_EQ(j["message"], done->message);
  EXPECT_TRUE(collapse_json(std::nullopt).is_null());
}

TEST(CollapseWarning, UnfrozenAndUnknownRuns) {
  TrainOptions o;
  o.learning_rate = 1e-3;
  o.epochs = 3;
  const auto w = collapse_warning(neutral_everywhere(), "test sentences", to_json(o));
  EXPECT_NE(w->message.find("What helps: with the whole model trained, more --epochs (this run: "
                            "3), --lr between 2e-5 and 5e-5 with --warmup 0.1 (a much higher "
                            "rate also collapses; this run used 0.001) or --class-weights "
                            "balanced"),
            std::string::npos)
      << w->message;
  EXPECT_EQ(w->message.find("--freeze-encoder"), std::string::npos);
  const auto unknown = collapse_warning(neutral_everywhere(), "test sentences", nullptr);
  EXPECT_NE(unknown->message.find("with a frozen encoder"), std::string::npos);
  EXPECT_NE(unknown->message.find("with the whole model trained"), std::string::npos);
  // No collapse, no warning.
  EXPECT_FALSE(
      collapse_warning(eval::classification_report({0, 1}, {0, 1}, {"a", "b"}), "x", nullptr)
          .has_value());
}

TEST(CollapseWarning, TrainingArgsAreReadLeniently) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("finsent-collapse-args-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(read_training_args(dir).is_null());  // none
  std::ofstream(dir / "training_args.json") << "{\"freeze_encoder\": ";
  EXPECT_TRUE(read_training_args(dir).is_null());  // torn
  std::ofstream(dir / "training_args.json") << "{\"freeze_encoder\": \"yes\", \"epochs\": [1]}";
  const nlohmann::json odd = read_training_args(dir);
  ASSERT_TRUE(odd.is_object());
  // Mistyped values are "not known", never an exception.
  const auto w = collapse_warning(neutral_everywhere(), "test sentences", odd);
  EXPECT_NE(w->message.find("with the whole model trained, more --epochs,"), std::string::npos)
      << w->message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace finsent::pipeline
