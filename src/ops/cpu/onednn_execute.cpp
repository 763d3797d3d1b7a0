// A cached oneDNN primitive run on a stream of its own with per-call scratch memory.
#include "onednn_execute.hpp"

#include <torch/torch.h>

namespace finsent::ops::cpu {

void execute_with_scratchpad(const dnnl::primitive& primitive, int64_t scratchpad_bytes,
                             std::unordered_map<int, dnnl::memory>& args,
                             const dnnl::engine& engine) {
  torch::Tensor scratch;
  if (scratchpad_bytes > 0) {
    scratch = torch::empty({scratchpad_bytes}, torch::kUInt8);
    args[DNNL_ARG_SCRATCHPAD] =
        dnnl::memory({{scratchpad_bytes}, dnnl::memory::data_type::u8, dnnl::memory::format_tag::a},
                     engine, scratch.data_ptr());
  }
  dnnl::stream stream(engine);
  primitive.execute(stream, args);
  stream.wait();
}

}  // namespace finsent::ops::cpu
