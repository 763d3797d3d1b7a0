// Running a cached oneDNN primitive with scratch memory of this call's own.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>

namespace finsent::ops::cpu {

// Executes `primitive` (created with scratchpad_mode::user, so a cached one holds no scratch
// memory and concurrent callers never share it) on a stream of `engine` and waits for it. A
// scratchpad of `scratchpad_bytes` is taken from LibTorch's allocator for the call when needed.
void execute_with_scratchpad(const dnnl::primitive& primitive, int64_t scratchpad_bytes,
                             std::unordered_map<int, dnnl::memory>& args,
                             const dnnl::engine& engine);

}  // namespace finsent::ops::cpu
