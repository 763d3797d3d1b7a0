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

TEST(Error, KeepsNulAsAnEscapeSoNothingAfterItIsLost) {
  // Text quoted from a UTF-16 file is full of NUL bytes; what() is a C string.
  const std::string quoted("l\0i\0n\0e\0", 8);
  const InputError e("data.txt: line 1: no '@' in '" + quoted + "' (is the file UTF-8?)");
  EXPECT_STREQ(e.what(),
               "data.txt: line 1: no '@' in 'l\\x00i\\x00n\\x00e\\x00' (is the file UTF-8?)");
  const Error plain(std::string("a\0b", 3));
  EXPECT_STREQ(plain.what(), "a\\x00b");
  try {
    try {
      throw TokenizerError(std::string("x\0y", 3));
    } catch (...) {
      rethrow_with_context("tokenizer.json");
    }
  } catch (const TokenizerError& t) {
    EXPECT_STREQ(t.what(), "tokenizer.json: x\\x00y");
    return;
  }
  FAIL() << "TokenizerError expected";
}

}  // namespace
}  // namespace finsent
