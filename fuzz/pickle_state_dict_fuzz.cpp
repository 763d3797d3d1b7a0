// libFuzzer target: the restricted state-dict unpickler must refuse or accept any byte string
// without crashing, leaking or running away with memory, and what it accepts must be consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "finsent/core/error.hpp"
#include "finsent/io/pickle_state_dict.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data), size);
  try {
    auto sd = finsent::io::unpickle_state_dict(input, "fuzz");
    for (const auto& t : sd.tensors) {
      if (t.storage >= sd.storages.size() || t.shape.size() != t.strides.size()) std::abort();
    }
  } catch (const finsent::WeightsError&) {
  }
  return 0;
}
