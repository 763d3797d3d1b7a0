// Tests of pytorch_model.bin reading: values against torch.save fixtures, hostile pickles refused.
#include "finsent/io/pytorch_checkpoint.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/io/pickle_state_dict.hpp"
#include "io_test_util.hpp"

namespace finsent::io {
namespace {

using namespace std::string_literals;

using testing::io_fixture;
using testing::read_bytes;

DType dtype_of(const std::string& torch_name) {
  static const std::map<std::string, DType> m{{"float32", DType::F32},
                                              {"float64", DType::F64},
                                              {"float16", DType::F16},
                                              {"int64", DType::I64},
                                              {"bool", DType::BOOL}};
  return m.at(torch_name);
}

double value_at(DType dt, std::span<const std::byte> d, size_t i) {
  auto get = [&](auto v) {
    std::memcpy(&v, d.data() + i * sizeof(v), sizeof(v));
    return v;
  };
  switch (dt) {
    case DType::F32:
      return get(float{});
    case DType::F64:
      return get(double{});
    case DType::I64:
      return static_cast<double>(get(int64_t{}));
    case DType::BOOL:
      return get(uint8_t{});
    case DType::F16: {
      uint16_t h = get(uint16_t{});
      int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
      double v = std::ldexp(mant | 0x400, exp - 25);
      return (h & 0x8000) ? -v : v;
    }
    default:
      ADD_FAILURE();
      return 0;
  }
}

class PytorchCheckpointFile : public ::testing::TestWithParam<const char*> {};

TEST_P(PytorchCheckpointFile, ReadsTorchSaveStateDictExactly) {
  auto ck = PytorchCheckpoint::open(io_fixture(GetParam()));
  auto expected = nlohmann::json::parse(read_bytes(io_fixture("pytorch/expected.json")));
  ASSERT_EQ(ck.tensors().size(), expected.size());
  // State dict order is kept.
  EXPECT_EQ(ck.tensors().front().name, "dense.weight");
  EXPECT_EQ(ck.tensors().back().name, "param");
  for (const auto& [name, e] : expected.items()) {
    const PytorchTensor* t = ck.find(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->dtype, dtype_of(e["dtype"])) << name;
    EXPECT_EQ(t->shape, e["shape"].get<std::vector<int64_t>>()) << name;
    auto data = ck.data(*t);
    const auto& values = e["values"];
    ASSERT_EQ(data.size(), values.size() * dtype_size(t->dtype)) << name;
    for (size_t i = 0; i < values.size(); ++i) {
      double want =
          values[i].is_boolean() ? (values[i].get<bool>() ? 1 : 0) : values[i].get<double>();
      EXPECT_EQ(value_at(t->dtype, data, i), want) << name << "[" << i << "]";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Protocols, PytorchCheckpointFile,
                         ::testing::Values("pytorch/pytorch_model.bin", "pytorch/protocol4.bin"));

TEST(PytorchCheckpoint, SharedStoragesAndViews) {
  auto ck = PytorchCheckpoint::open(io_fixture("pytorch/pytorch_model.bin"));
  const auto* dense = ck.find("dense.weight");
  const auto* tied = ck.find("tied.weight");
  const auto* tr = ck.find("transposed");
  const auto* row = ck.find("row");
  ASSERT_TRUE(dense && tied && tr && row);
  EXPECT_EQ(dense->storage_key, tied->storage_key);
  EXPECT_EQ(ck.data(*dense).data(), ck.data(*tied).data()) << "tied weights share bytes";
  EXPECT_TRUE(ck.zero_copy(*dense));
  EXPECT_FALSE(ck.zero_copy(*tr)) << "a transposed view is gathered";
  EXPECT_EQ(tr->strides, (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(ck.zero_copy(*row));
  EXPECT_EQ(row->storage_offset, 4u);
  EXPECT_EQ(ck.data(*row).data(), ck.data(*dense).data() + 16);
}

TEST(PytorchCheckpoint, ParseMatchesOpen) {
  auto a = PytorchCheckpoint::open(io_fixture("pytorch/pytorch_model.bin"));
  std::string bytes = read_bytes(io_fixture("pytorch/pytorch_model.bin"));
  auto b = PytorchCheckpoint::parse(std::as_bytes(std::span(bytes)), "mem");
  bytes.assign(bytes.size(), 'x');  // parse() must have copied
  ASSERT_EQ(a.tensors().size(), b.tensors().size());
  for (const auto& t : a.tensors()) {
    auto x = a.data(t);
    auto y = b.data(*b.find(t.name));
    EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end())) << t.name;
  }
}

void expect_refused(const std::string& fixture, const std::string& needle) {
  try {
    PytorchCheckpoint::open(io_fixture(fixture));
    ADD_FAILURE() << fixture << " was accepted";
  } catch (const WeightsError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(needle), std::string::npos) << what;
    EXPECT_NE(what.find(fixture), std::string::npos) << "must name the file: " << what;
  }
}

TEST(PytorchCheckpoint, RefusesCodeExecution) {
  expect_refused("pytorch/hostile_global.bin", "global posix.system is not allowed");
  expect_refused("pytorch/hostile_eval.bin", "global builtins.eval is not allowed");
}

TEST(PytorchCheckpoint, RefusesBrokenArchives) {
  expect_refused("pytorch/missing_record.bin", "storage record data/0 is missing");
  expect_refused("pytorch/not_zip.bin", "not a zip-format torch.save checkpoint");
  expect_refused("pytorch/compressed.bin", "is compressed (method 8)");
  expect_refused("pytorch/big_endian.bin", "byteorder 'big' is not supported");
  expect_refused("pytorch/truncated.bin", "no end of central directory record");
  expect_refused("pytorch/expected.json", "not a zip-format");
  expect_refused("pytorch/nope.bin", "cannot open");
}

std::span<const std::byte> as_span(const std::string& s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}

TEST(PickleStateDict, RejectsOpcodesOutsideTheDataSubset) {
  // INST (i) and OBJ (o) can call arbitrary classes; EXT1 reads the copyreg registry.
  for (std::string p : {"\x80\x02(iposix\nsystem\n."s, "\x80\x02(o."s, "\x80\x02\x82\x01."s}) {
    try {
      unpickle_state_dict(as_span(p), "x.pkl");
      ADD_FAILURE() << "accepted";
    } catch (const WeightsError& e) {
      EXPECT_NE(std::string(e.what()).find("is not allowed in a state dict"), std::string::npos)
          << e.what();
    }
  }
}

TEST(PickleStateDict, RejectsNonStateDicts) {
  const std::string list = "\x80\x02]q\x00."s;  // []
  const std::string int_value =
      "\x80\x02}q\x00X\x01\x00\x00\x00"
      "aK\x01s."s;  // {"a": 1}
  EXPECT_THROW(unpickle_state_dict(as_span(list), "x"), WeightsError);
  try {
    unpickle_state_dict(as_span(int_value), "x");
    ADD_FAILURE();
  } catch (const WeightsError& e) {
    EXPECT_NE(std::string(e.what()).find("entry 'a' is not a tensor"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(unpickle_state_dict(as_span("\x80\x02}"s), "x"), WeightsError);  // no STOP
  EXPECT_THROW(unpickle_state_dict(as_span("\x80\x02h\x05."s), "x"), WeightsError);
  // A self-containing dict is just data here; it must not crash or leak.
  const std::string cyclic =
      "\x80\x02}q\x00X\x01\x00\x00\x00"
      "ah\x00s."s;
  EXPECT_THROW(unpickle_state_dict(as_span(cyclic), "x"), WeightsError);
}

TEST(PickleStateDict, EmptyOrderedDictIsAnEmptyStateDict) {
  const std::string p =
      "\x80\x02"
      "ccollections\nOrderedDict\nq\x00)Rq\x01."s;
  auto sd = unpickle_state_dict(as_span(p), "x");
  EXPECT_TRUE(sd.tensors.empty());
  EXPECT_TRUE(sd.storages.empty());
}

}  // namespace
}  // namespace finsent::io
