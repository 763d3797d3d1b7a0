// Tests of the safetensors reader and writer against files written by the Python reference.
#include "finsent/io/safetensors.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "finsent/core/error.hpp"
#include "io_test_util.hpp"

namespace finsent::io {
namespace {

using testing::bytes_of;
using testing::io_fixture;
using testing::read_bytes;
using testing::ScratchDir;

// IEEE half / bfloat16 bits to float (fixture values are exact in both).
float half_to_float(uint16_t h) {
  int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  float v = exp == 0 ? std::ldexp(static_cast<float>(mant), -24)
                     : std::ldexp(static_cast<float>(mant | 0x400), exp - 25);
  return (h & 0x8000) ? -v : v;
}
float bf16_to_float(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename T>
T element(std::span<const std::byte> data, size_t i) {
  T v;
  std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
  return v;
}

// Value i of a fixture tensor as tools/make_safetensors_fixtures.py's arange() defines it.
double expected_value(DType dt, size_t i) {
  switch (dt) {
    case DType::F32:
    case DType::F16:
    case DType::BF16:
    case DType::F64:
      return static_cast<double>(i) * 0.5 - 3;
    case DType::BOOL:
      return i % 7 == 0 ? 1 : 0;
    case DType::U8:
    case DType::U16:
    case DType::U32:
    case DType::U64:
      return static_cast<double>(i);
    default:
      return static_cast<double>(i) - 5;
  }
}

double actual_value(DType dt, std::span<const std::byte> d, size_t i) {
  switch (dt) {
    case DType::F32:
      return element<float>(d, i);
    case DType::F16:
      return half_to_float(element<uint16_t>(d, i));
    case DType::BF16:
      return bf16_to_float(element<uint16_t>(d, i));
    case DType::F64:
      return element<double>(d, i);
    case DType::I64:
      return static_cast<double>(element<int64_t>(d, i));
    case DType::I32:
      return element<int32_t>(d, i);
    case DType::I16:
      return element<int16_t>(d, i);
    case DType::I8:
      return element<int8_t>(d, i);
    case DType::U8:
    case DType::BOOL:
      return element<uint8_t>(d, i);
    case DType::U16:
      return element<uint16_t>(d, i);
    case DType::U32:
      return element<uint32_t>(d, i);
    case DType::U64:
      return static_cast<double>(element<uint64_t>(d, i));
    default:
      ADD_FAILURE() << "unexpected dtype " << dtype_name(dt);
      return NAN;
  }
}

TEST(DType, NamesAndSizesRoundTrip) {
  for (DType dt : {DType::BOOL, DType::U8, DType::I8, DType::I16, DType::U16, DType::F16,
                   DType::BF16, DType::I32, DType::U32, DType::F32, DType::F64, DType::I64,
                   DType::U64, DType::F8_E5M2, DType::F8_E4M3, DType::F8_E8M0, DType::C64}) {
    EXPECT_EQ(dtype_from_name(dtype_name(dt)), dt);
  }
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::F64), 8u);
  EXPECT_EQ(dtype_size(DType::BOOL), 1u);
  EXPECT_EQ(dtype_from_name("f32"), std::nullopt);
}

TEST(SafetensorsRead, MultiDtypeFileFromPythonReference) {
  auto f = SafetensorsFile::open(io_fixture("valid/multi_dtype.safetensors"));
  EXPECT_EQ(f.metadata(), (std::map<std::string, std::string>{{"format", "pt"}}));
  ASSERT_EQ(f.tensors().size(), 16u);
  uint64_t prev_end = 0;
  for (const auto& t : f.tensors()) {
    EXPECT_EQ(t.begin, prev_end) << t.name;
    prev_end = t.end;
    auto data = f.data(t);
    size_t n = data.size() / dtype_size(t.dtype);
    size_t numel = 1;
    for (auto d : t.shape) numel *= static_cast<size_t>(d);
    ASSERT_EQ(n, numel) << t.name;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(actual_value(t.dtype, data, i), expected_value(t.dtype, i))
          << t.name << "[" << i << "]";
    }
    // A file written by the current reference is padded, so every tensor is aligned.
    EXPECT_TRUE(f.aligned(t)) << t.name;
  }
  const TensorInfo* w = f.find("w.f32");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, DType::F32);
  EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
  const TensorInfo* scalar = f.find("a.scalar");
  ASSERT_NE(scalar, nullptr);
  EXPECT_TRUE(scalar->shape.empty());
  EXPECT_EQ(f.data(*scalar).size(), 4u);
  const TensorInfo* empty = f.find("b.empty");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->shape, (std::vector<int64_t>{0, 4}));
  EXPECT_TRUE(f.data(*empty).empty());
  EXPECT_EQ(f.find("missing"), nullptr);
  EXPECT_EQ(f.header_size() % 8, 0u);
}

TEST(SafetensorsRead, DataIsZeroCopyIntoTheMapping) {
  auto f = SafetensorsFile::open(io_fixture("valid/multi_dtype.safetensors"));
  const auto& ts = f.tensors();
  // Consecutive tensors are adjacent in memory: views into one mapping, not separate copies.
  for (size_t i = 1; i < ts.size(); ++i) {
    EXPECT_EQ(f.data(ts[i - 1]).data() + f.data(ts[i - 1]).size(), f.data(ts[i]).data());
  }
}

TEST(SafetensorsRead, UnalignedOldStyleFile) {
  auto f = SafetensorsFile::open(io_fixture("valid/unaligned_old_style.safetensors"));
  EXPECT_NE(f.header_size() % 8, 0u);
  const TensorInfo* x = f.find("x");
  const TensorInfo* y = f.find("y");
  ASSERT_TRUE(x && y);
  EXPECT_EQ(element<int64_t>(f.data(*x), 0), 7);
  EXPECT_EQ(element<int64_t>(f.data(*x), 1), -8);
  EXPECT_EQ(element<float>(f.data(*y), 0), 1.5f);
  EXPECT_EQ(element<float>(f.data(*y), 2), 3.25f);
}

TEST(SafetensorsRead, UnicodeNamesAndMetadata) {
  auto f = SafetensorsFile::open(io_fixture("valid/unicode.safetensors"));
  EXPECT_NE(f.find("\xc3\xa9mbed.\xc3\xbc"), nullptr);
  EXPECT_EQ(f.metadata().at("note"), "na\xc3\xafve \xe2\x86\x92 ok");
}

TEST(SafetensorsRead, ParseMatchesOpen) {
  std::string bytes = read_bytes(io_fixture("valid/multi_dtype.safetensors"));
  auto f = SafetensorsFile::parse(std::as_bytes(std::span(bytes)), "buffer");
  bytes.assign(bytes.size(), 'x');  // parse() must have copied
  auto g = SafetensorsFile::open(io_fixture("valid/multi_dtype.safetensors"));
  ASSERT_EQ(f.tensors().size(), g.tensors().size());
  for (size_t i = 0; i < f.tensors().size(); ++i) {
    auto a = f.data(f.tensors()[i]);
    auto b = g.data(g.tensors()[i]);
    EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << f.tensors()[i].name;
  }
  EXPECT_EQ(f.origin(), "buffer");
}

TEST(SafetensorsRead, MissingFileIsWeightsError) {
  EXPECT_THROW(SafetensorsFile::open(io_fixture("valid/nope.safetensors")), WeightsError);
  EXPECT_THROW(SafetensorsFile::open(io_fixture("valid")), WeightsError);
}

// Rewrites every tensor of a reference file with our writer; the bytes must be identical,
// which pins the tensor order (dtype alignment, then name), the header format and padding.
void expect_byte_identical_rewrite(const std::string& fixture) {
  auto f = SafetensorsFile::open(io_fixture(fixture));
  std::vector<TensorToWrite> ts;
  // Reverse the order so the writer's own sorting is exercised.
  for (auto it = f.tensors().rbegin(); it != f.tensors().rend(); ++it) {
    ts.push_back({it->name, it->dtype, it->shape, f.data(*it)});
  }
  std::string ours = serialize_safetensors(ts, f.metadata());
  EXPECT_EQ(ours, read_bytes(io_fixture(fixture))) << fixture;
  ScratchDir dir;
  save_safetensors(dir / "out.safetensors", ts, f.metadata());
  EXPECT_EQ(read_bytes(dir / "out.safetensors"), ours);
}

TEST(SafetensorsWrite, ByteIdenticalToPythonReference) {
  expect_byte_identical_rewrite("valid/multi_dtype.safetensors");
  expect_byte_identical_rewrite("valid/multi_dtype_nometa.safetensors");
  expect_byte_identical_rewrite("valid/unicode.safetensors");
}

TEST(SafetensorsWrite, RoundTrip) {
  ScratchDir dir;
  const float w[] = {1.f, -2.f, 3.5f, 0.f, 1e-30f, -7.25f};
  const int64_t ids[] = {1, -2, INT64_MAX};
  const uint8_t flags[] = {1, 0, 1};
  const uint16_t h[] = {0x3c00, 0xc000};
  save_safetensors(dir / "m.safetensors",
                   {{"weight", DType::F32, {2, 3}, bytes_of(w)},
                    {"ids", DType::I64, {3}, bytes_of(ids)},
                    {"flags", DType::BOOL, {3}, bytes_of(flags)},
                    {"half", DType::F16, {1, 2}, bytes_of(h)},
                    {"empty", DType::F32, {0}, {}}},
                   {{"format", "pt"}, {"a", "b"}});
  auto f = SafetensorsFile::open(dir / "m.safetensors");
  EXPECT_EQ(f.header_size() % 8, 0u);
  EXPECT_EQ(f.metadata().size(), 2u);
  auto check = [&](const char* name, DType dt, std::vector<int64_t> shape, auto expected) {
    const TensorInfo* t = f.find(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->dtype, dt);
    EXPECT_EQ(t->shape, shape);
    auto got = f.data(*t);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), expected.begin(), expected.end())) << name;
    EXPECT_TRUE(f.aligned(*t)) << name;
  };
  check("weight", DType::F32, {2, 3}, bytes_of(w));
  check("ids", DType::I64, {3}, bytes_of(ids));
  check("flags", DType::BOOL, {3}, bytes_of(flags));
  check("half", DType::F16, {1, 2}, bytes_of(h));
  check("empty", DType::F32, {0}, std::span<const std::byte>());
  // Widest dtype first, as the reference lays files out.
  EXPECT_EQ(f.tensors().front().name, "ids");
}

TEST(SafetensorsWrite, RejectsInvalidTensors) {
  const float w[] = {1.f, 2.f};
  auto expect_error = [&](std::vector<TensorToWrite> ts, const std::string& needle) {
    try {
      serialize_safetensors(ts);
      ADD_FAILURE() << "expected WeightsError containing " << needle;
    } catch (const WeightsError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error({{"a", DType::F32, {3}, bytes_of(w)}},
               "8 data bytes but the shape needs 12");  // 8 bytes vs 12
  expect_error({{"a", DType::F32, {-2}, bytes_of(w)}}, "negative dimension");
  expect_error({{"a", DType::F32, {2}, bytes_of(w)}, {"a", DType::F32, {2}, bytes_of(w)}},
               "duplicate name");
  expect_error({{"__metadata__", DType::F32, {2}, bytes_of(w)}}, "reserved");
  expect_error({{"", DType::F32, {2}, bytes_of(w)}}, "empty tensor name");
  expect_error({{"bad\xff", DType::F32, {2}, bytes_of(w)}}, "not valid UTF-8");
}

TEST(SafetensorsWrite, UnwritableTargetIsIoErrorAndLeavesNoFile) {
  ScratchDir dir;
  const float w[] = {1.f};
  EXPECT_THROW(
      save_safetensors(dir / "missing/m.safetensors", {{"a", DType::F32, {1}, bytes_of(w)}}),
      IoError);
}

}  // namespace
}  // namespace finsent::io
