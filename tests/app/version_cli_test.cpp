// `finsent --version` names LibTorch and the BLAS kernels in use (OpenBLAS's choice moves fp32 GEMM
// speed by up to 1.7x, so a user comparing timings needs to see it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/run_cli.hpp"

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

TEST(VersionCli, NamesLibTorchAndTheBlasKernels) {
  const auto r = finsent::testing::run_cli({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("finsent 0.1.0 (LibTorch 1.", 0), 0u) << r.out;
  const auto at = r.out.find("BLAS kernels: OpenBLAS ");
  ASSERT_NE(at, std::string::npos) << r.out;  // scripts/setup.sh installs OpenBLAS under LibTorch
  // A core named by OPENBLAS_CORETYPE (set on some machines) is the one OpenBLAS reports.
  const char* forced = std::getenv("OPENBLAS_CORETYPE");
  if (forced != nullptr && *forced != '\0') {
    EXPECT_NE(lower(r.out).find("openblas " + lower(forced)), std::string::npos) << r.out;
  }
}

}  // namespace
