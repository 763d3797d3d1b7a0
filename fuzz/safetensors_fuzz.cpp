// libFuzzer target: the safetensors parser must reject or accept any input without crashing, and
// whatever it accepts must survive a write/read round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "finsent/core/error.hpp"
#include "finsent/io/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace finsent::io;
  std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data), size);
  try {
    auto file = SafetensorsFile::parse(input, "fuzz");
    std::vector<TensorToWrite> tensors;
    for (const auto& t : file.tensors()) {
      auto bytes = file.data(t);
      if (!file.find(t.name) || bytes.size() != t.end - t.begin) std::abort();
      tensors.push_back({t.name, t.dtype, t.shape, bytes});
    }
    std::string again = serialize_safetensors(tensors, file.metadata());
    auto reread = SafetensorsFile::parse(std::as_bytes(std::span(again)), "fuzz-rewrite");
    if (reread.tensors().size() != file.tensors().size() || reread.metadata() != file.metadata()) {
      std::abort();
    }
    for (const auto& t : reread.tensors()) {
      const TensorInfo* orig = file.find(t.name);
      if (!orig || orig->dtype != t.dtype || orig->shape != t.shape) std::abort();
      auto a = file.data(*orig);
      auto b = reread.data(t);
      if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) std::abort();
    }
  } catch (const finsent::WeightsError&) {
    // Rejection is the expected outcome for most inputs.
  }
  return 0;
}
