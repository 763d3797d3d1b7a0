// Tests of CheckpointReader: file choice, sharded safetensors / .bin, broken indexes.
#include "finsent/io/checkpoint.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "finsent/core/error.hpp"
#include "io_test_util.hpp"

namespace finsent::io {
namespace {

using testing::io_fixture;
using testing::ScratchDir;

TEST(CheckpointReader, ShardedSafetensorsMatchesTheSingleFile) {
  auto sharded = CheckpointReader::open(io_fixture("sharded_safetensors"));
  auto single = SafetensorsFile::open(io_fixture("valid/multi_dtype.safetensors"));
  EXPECT_EQ(sharded.format(), "safetensors");
  EXPECT_EQ(sharded.files().size(), 2u);
  ASSERT_EQ(sharded.tensors().size(), single.tensors().size());
  for (const auto& t : sharded.tensors()) {
    const TensorInfo* s = single.find(t.name);
    ASSERT_NE(s, nullptr) << t.name;
    EXPECT_EQ(t.dtype, s->dtype);
    EXPECT_EQ(t.shape, s->shape);
    auto a = sharded.data(t);
    auto b = single.data(*s);
    EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << t.name;
  }
  EXPECT_TRUE(std::is_sorted(sharded.tensors().begin(), sharded.tensors().end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST(CheckpointReader, ShardedPytorchBin) {
  auto r = CheckpointReader::open(io_fixture("sharded_bin"));
  EXPECT_EQ(r.format(), "pytorch");
  ASSERT_EQ(r.tensors().size(), 3u);
  const auto* z = r.find("z");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(z->file.filename(), "pytorch_model-00002-of-00002.bin");
  float v[2];
  std::memcpy(v, r.data(*z).data(), 8);
  EXPECT_EQ(v[0], 5.f);
  EXPECT_EQ(v[1], 6.f);
  EXPECT_EQ(r.find("y")->dtype, DType::I32);
}

TEST(CheckpointReader, SingleFilesAndPreference) {
  auto bin = CheckpointReader::open(io_fixture("pytorch"));  // holds pytorch_model.bin
  EXPECT_EQ(bin.format(), "pytorch");
  EXPECT_NE(bin.find("dense.weight"), nullptr);
  // With both present, model.safetensors wins, as in Transformers.
  ScratchDir dir;
  std::filesystem::copy_file(io_fixture("pytorch/pytorch_model.bin"), dir / "pytorch_model.bin");
  std::filesystem::copy_file(io_fixture("valid/unicode.safetensors"), dir / "model.safetensors");
  auto both = CheckpointReader::open(dir.path());
  EXPECT_EQ(both.format(), "safetensors");
  EXPECT_EQ(both.files(), std::vector<std::filesystem::path>{dir / "model.safetensors"});
  auto direct = CheckpointReader::open(io_fixture("valid/unaligned_old_style.safetensors"));
  EXPECT_EQ(direct.tensors().size(), 2u);
}

void expect_error(const std::filesystem::path& p, const std::string& needle) {
  try {
    CheckpointReader::open(p);
    ADD_FAILURE() << p << " accepted";
  } catch (const WeightsError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(CheckpointReader, BrokenIndexesAndEmptyDirectories) {
  expect_error(io_fixture("sharded_bad/missing_name"), "tensor 'q' is mapped to s1.safetensors");
  expect_error(io_fixture("sharded_bad/missing_file"), "shard nope.safetensors is missing");
  expect_error(io_fixture("sharded_bad/escape"), "not a file in the same directory");
  ScratchDir dir;
  expect_error(dir.path(), "no weights found");
  expect_error(dir / "nothing.safetensors", "no such file");
  testing::ScratchDir d2;
  std::filesystem::copy_file(io_fixture("sharded_bad/missing_name/s1.safetensors"),
                             d2 / "s1.safetensors");
  std::ofstream(d2 / "model.safetensors.index.json")
      << R"({"weight_map": {"q": "s1.safetensors"}})";
  expect_error(d2.path(), "tensor 'p' is not mapped to this shard");
  std::ofstream(d2 / "model.safetensors.index.json", std::ios::trunc) << R"({"weight_map": {}})";
  expect_error(d2.path(), "weight_map is empty");
}

}  // namespace
}  // namespace finsent::io
