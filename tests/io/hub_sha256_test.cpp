// sha256_hex / sha256_file_hex against the FIPS 180-2 test vectors.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/io/hub_sha256.hpp"
#include "io_test_util.hpp"

TEST(HubSha256, MatchesKnownVectors) {
  EXPECT_EQ(finsent::io::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(finsent::io::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HubSha256, HashesFilesLargerThanOneBlock) {
  finsent::io::testing::ScratchDir dir;
  std::string million(1000000, 'a');  // FIPS 180-2 vector: one million 'a'
  finsent::io::write_file_atomic(dir / "a", million);
  EXPECT_EQ(finsent::io::sha256_file_hex(dir / "a"),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_THROW(finsent::io::sha256_file_hex(dir / "missing"), finsent::IoError);
}
