// The malformed safetensors corpus: every file must be rejected with its expected message.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "finsent/core/error.hpp"
#include "finsent/io/safetensors.hpp"
#include "io_test_util.hpp"

namespace finsent::io {
namespace {

using testing::io_fixture;
using testing::read_bytes;

nlohmann::json manifest() {
  return nlohmann::json::parse(read_bytes(io_fixture("malformed/manifest.json")));
}

TEST(SafetensorsMalformed, CorpusIsComplete) {
  auto m = manifest();
  EXPECT_GE(m.size(), 30u);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(io_fixture("malformed"))) {
    if (e.path().extension() == ".safetensors") {
      ++files;
      EXPECT_TRUE(m.contains(e.path().stem().string())) << e.path() << " is not in the manifest";
    }
  }
  EXPECT_EQ(files, m.size());
}

TEST(SafetensorsMalformed, EveryFileRejectedWithItsMessage) {
  const auto m = manifest();
  for (const auto& [name, entry] : m.items()) {
    auto path = io_fixture("malformed/" + name + ".safetensors");
    const std::string expect = entry.at("expect");
    for (int via_parse = 0; via_parse < 2; ++via_parse) {
      try {
        if (via_parse) {
          std::string bytes = read_bytes(path);
          SafetensorsFile::parse(std::as_bytes(std::span(bytes)), path.string());
        } else {
          SafetensorsFile::open(path);
        }
        ADD_FAILURE() << name << ": accepted, expected an error containing '" << expect << "'";
      } catch (const WeightsError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find(expect), std::string::npos) << name << ": " << what;
        EXPECT_EQ(what.rfind(path.string(), 0), 0u) << name << ": must name the file: " << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << name << ": must be one line";
      }
    }
  }
}

TEST(SafetensorsMalformed, TensorErrorsNameTheTensor) {
  for (const char* name : {"wrong_dtype_size", "overlapping", "gap", "offsets_past_eof",
                           "negative_dim", "unknown_dtype", "shape_overflow"}) {
    try {
      SafetensorsFile::open(io_fixture(std::string("malformed/") + name + ".safetensors"));
      ADD_FAILURE() << name << " accepted";
    } catch (const WeightsError& e) {
      EXPECT_NE(std::string(e.what()).find("tensor '"), std::string::npos) << e.what();
    }
  }
}

// The reference accepts these; finsent is deliberately stricter (documented in
// docs/checkpoints.md).
TEST(SafetensorsMalformed, StricterThanReferenceOnlyWhereDocumented) {
  std::set<std::string> stricter;
  const auto m = manifest();
  for (const auto& [name, entry] : m.items()) {
    if (entry.at("reference") == "accepts") stricter.insert(name);
  }
  EXPECT_EQ(stricter, (std::set<std::string>{"duplicate_name_same_range", "metadata_duplicate_key",
                                             "deep_nesting"}));
}

}  // namespace
}  // namespace finsent::io
