// Context is prepended and the error's kind survives the rethrow.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"

namespace finsent {
namespace {

TEST(RethrowWithContext, KeepsKindAndPrependsContext) {
  try {
    try {
      throw InputError("line 3: missing '@'");
    } catch (...) {
      rethrow_with_context("data.txt");
    }
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "data.txt: line 3: missing '@'");
    return;
  }
  FAIL() << "InputError expected";
}

TEST(RethrowWithContext, WrapsForeignExceptionsAsError) {
  try {
    try {
      throw std::out_of_range("index 9");
    } catch (...) {
      rethrow_with_context("vocab.txt");
    }
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "vocab.txt: index 9");
    return;
  }
  FAIL() << "Error expected";
}

}  // namespace
}  // namespace finsent
