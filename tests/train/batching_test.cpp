// Epoch order, length grouping, dynamic padding and the progress line, without a model.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <sstream>

#include "finsent/train/batch.hpp"
#include "finsent/train/batching.hpp"
#include "finsent/train/progress.hpp"

namespace finsent::train {
namespace {

std::vector<size_t> flatten(const std::vector<std::vector<size_t>>& batches) {
  std::vector<size_t> all;
  for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
  return all;
}

// Pseudo-random lengths 3..62, like tokenized PhraseBank sentences.
std::vector<size_t> lengths_of(size_t n) {
  std::vector<size_t> lengths(n);
  SplitMix64 rng(7);
  for (auto& l : lengths) l = 3 + rng.below(60);
  return lengths;
}

// Tokens a batch list occupies once each batch is padded to its longest sentence.
size_t padded_tokens(const std::vector<std::vector<size_t>>& batches,
                     const std::vector<size_t>& lengths) {
  size_t total = 0;
  for (const auto& b : batches) {
    size_t longest = 0;
    for (size_t i : b) longest = std::max(longest, lengths[i]);
    total += longest * b.size();
  }
  return total;
}

TEST(EpochBatches, EveryExampleOncePerEpochInBatchesOfTheAskedSize) {
  for (const bool grouped : {false, true}) {
    SCOPED_TRACE(grouped ? "length-grouped" : "shuffled");
    const auto lengths = lengths_of(1003);
    const auto batches = epoch_batches(1003, 16, 42, 0, grouped ? &lengths : nullptr);
    ASSERT_EQ(batches.size(), 63u);  // ceil(1003 / 16)
    size_t short_batches = 0;
    for (const auto& b : batches) short_batches += b.size() != 16;
    EXPECT_EQ(short_batches, 1u);  // the one batch of 1003 % 16 = 11
    auto all = flatten(batches);
    std::sort(all.begin(), all.end());
    std::vector<size_t> expected(1003);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(all, expected);
  }
}

TEST(EpochBatches, OrderIsAPureFunctionOfSeedAndEpoch) {
  EXPECT_EQ(epoch_batches(200, 8, 42, 3), epoch_batches(200, 8, 42, 3));
  EXPECT_NE(epoch_batches(200, 8, 42, 3), epoch_batches(200, 8, 42, 4));
  EXPECT_NE(epoch_batches(200, 8, 42, 3), epoch_batches(200, 8, 43, 3));
  // A shuffle, not the identity.
  const auto order = flatten(epoch_batches(200, 8, 42, 0));
  EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
}

TEST(EpochBatches, LengthGroupingSortsMegaBatchesAndPutsTheLongestBatchFirst) {
  const size_t n = 2000, bs = 8;
  const auto lengths = lengths_of(n);
  const auto grouped = epoch_batches(n, bs, 42, 1, &lengths);
  // The longest sentence of the epoch is in the first batch.
  const size_t longest = *std::max_element(lengths.begin(), lengths.end());
  EXPECT_TRUE(std::any_of(grouped[0].begin(), grouped[0].end(),
                          [&](size_t i) { return lengths[i] == longest; }));
  // Lengths do not rise inside a mega-batch of 50 batches, except where the longest batch was
  // swapped with the first: so check each batch, and each mega-batch from its second batch on.
  for (const auto& b : grouped)
    for (size_t i = 1; i < b.size(); ++i) ASSERT_GE(lengths[b[i - 1]], lengths[b[i]]);
  const auto order = flatten(grouped);
  for (size_t begin = 0; begin < n; begin += 50 * bs)
    for (size_t i = begin + bs + 1; i < std::min(n, begin + 50 * bs); ++i)
      ASSERT_GE(lengths[order[i - 1]], lengths[order[i]]) << "position " << i;
  // The point of it: far less padding than a plain shuffle.
  const auto shuffled = epoch_batches(n, bs, 42, 1);
  const size_t real = std::accumulate(lengths.begin(), lengths.end(), size_t{0});
  EXPECT_LT(padded_tokens(grouped, lengths) - real, (padded_tokens(shuffled, lengths) - real) / 5);
  // Grouping changes the order from epoch to epoch too.
  EXPECT_NE(grouped, epoch_batches(n, bs, 42, 2, &lengths));
}

TEST(Collate, PadsToTheLongestInTheBatchWithAMask) {
  const std::vector<std::vector<int64_t>> ids = {{101, 7, 102}, {101, 5, 6, 8, 9, 102}, {101, 102}};
  const Batch b = collate(ids, {2, 0}, /*pad_id=*/0);
  ASSERT_EQ(b.input_ids.sizes(), (std::vector<int64_t>{2, 3}));  // as wide as {101, 7, 102}
  EXPECT_TRUE(torch::equal(b.input_ids, torch::tensor({{101, 102, 0}, {101, 7, 102}})));
  EXPECT_TRUE(torch::equal(b.attention_mask, torch::tensor({{1, 1, 0}, {1, 1, 1}})));
  EXPECT_EQ(b.input_ids.scalar_type(), torch::kInt64);
  const Batch wide = collate(ids, {0, 1}, 0);
  EXPECT_EQ(wide.input_ids.size(1), 6);
}

TEST(Progress, LineCarriesEpochStepLossLrSpeedAndEta) {
  ProgressStats s;
  s.epoch = 2, s.epochs = 3, s.step = 250, s.total_steps = 552;
  s.loss = 0.41234, s.lr = 3.02e-5, s.sentences_per_second = 41.26, s.eta_seconds = 125;
  EXPECT_EQ(format_progress(s),
            "epoch 2/3 step 250/552 loss 0.4123 lr 3.02e-05 41.3 sent/s ETA 2m05s");
  EXPECT_EQ(format_duration(7), "7s");
  EXPECT_EQ(format_duration(3723), "1h02m03s");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(Progress, PlainLinesEveryNStepsOffATerminal) {
  std::ostringstream out;
  ProgressPrinter printer(out, /*tty=*/false, /*every_steps=*/10);
  ProgressStats s;
  s.epochs = 1, s.epoch = 1, s.total_steps = 25;
  for (s.step = 1; s.step <= 25; ++s.step) printer.update(s);
  printer.finish();
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);  // steps 10, 20 and the last, 25
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("step 25/25"), std::string::npos);
}

TEST(Progress, OneLineRewrittenInPlaceOnATerminal) {
  std::ostringstream out;
  ProgressPrinter printer(out, /*tty=*/true);
  ProgressStats s;
  s.epochs = 1, s.epoch = 1, s.total_steps = 3;
  for (s.step = 1; s.step <= 3; ++s.step) printer.update(s, /*force=*/true);
  printer.finish();
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 3);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);  // only finish() ends the line
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace finsent::train
