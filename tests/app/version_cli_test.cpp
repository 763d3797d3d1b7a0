// `finsent --version` names LibTorch, the BLAS kernels and the malloc in use (OpenBLAS's choice
// moves fp32 GEMM speed by up to 1.7x, the allocator peak RSS by up to 1.8x: a user comparing
// figures needs to see them).
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

TEST(VersionCli, NamesLibTorchTheBlasKernelsAndTheAllocator) {
  const auto r = finsent::testing::run_cli({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // scripts/setup-libtorch.sh installs PyPI's LibTorch 2.15, whose GEMMs run MKL.
  EXPECT_EQ(r.out.rfind("finsent 0.1.0 (LibTorch 2.15.", 0), 0u) << r.out;
  const bool openblas = r.out.find("BLAS kernels: OpenBLAS ") != std::string::npos;
  EXPECT_TRUE(openblas || r.out.find("BLAS kernels: MKL (in LibTorch)") != std::string::npos)
      << r.out;
  // A core named by OPENBLAS_CORETYPE (set on some machines) is the one OpenBLAS reports.
  const char* forced = std::getenv("OPENBLAS_CORETYPE");
  if (openblas && forced != nullptr && *forced != '\0') {
    EXPECT_NE(lower(r.out).find("openblas " + lower(forced)), std::string::npos) << r.out;
  }
  // scripts/setup.sh installs tcmalloc and the build links it into the CLI.
  EXPECT_NE(r.out.find("malloc: tcmalloc)"), std::string::npos) << r.out;
}

}  // namespace
