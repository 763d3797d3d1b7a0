// libFuzzer target: a whole pytorch_model.bin (zip directory, restricted unpickler, tensor bounds)
// must be refused or accepted without crashing, and accepted tensors must have consistent sizes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "finsent/core/error.hpp"
#include "finsent/io/pytorch_checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace finsent::io;
  std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data), size);
  try {
    auto ck = PytorchCheckpoint::parse(input, "fuzz");
    for (const auto& t : ck.tensors()) {
      uint64_t numel = 1;
      for (int64_t d : t.shape) numel *= static_cast<uint64_t>(d);
      auto bytes = ck.data(t);
      if (bytes.size() != numel * dtype_size(t.dtype)) std::abort();
      volatile std::byte sink{};
      for (std::byte b : bytes) sink = sink ^ b;  // every exposed byte must be readable
    }
  } catch (const finsent::WeightsError&) {
  }
  return 0;
}
