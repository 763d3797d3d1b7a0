// oneDNN matmul primitives over strided views, one cached primitive per operand layout.
#include "strided_matmul.hpp"

#include <bit>
#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>
#include <vector>

#include "onednn_execute.hpp"

namespace finsent::ops::cpu {
namespace {

using dnnl::memory;

memory::desc strided_desc(const torch::Tensor& t) {
  return memory::desc(t.sizes().vec(), memory::data_type::f32, t.strides().vec());
}

// The primitive's view of `t`: sizes and strides given at run time, except which of the two
// innermost dimensions has unit stride. One primitive then serves every batch shape: on 2 threads
// it ran attention as fast as shape-specific ones (within 2%, inference_bench), without compiling
// kernels for each new (batch, length) a server sees.
memory::desc runtime_desc(const torch::Tensor& t) {
  std::vector<int64_t> sizes(static_cast<size_t>(t.dim()), DNNL_RUNTIME_DIM_VAL);
  std::vector<int64_t> strides(static_cast<size_t>(t.dim()), DNNL_RUNTIME_DIM_VAL);
  if (t.stride(-1) == 1)
    strides.back() = 1;
  else
    strides[strides.size() - 2] = 1;
  return memory::desc(sizes, memory::data_type::f32, strides);
}

struct Primitive {
  dnnl::matmul matmul;
  int64_t scratchpad_bytes = 0;
};

class StridedMatmulCache {
 public:
  static StridedMatmulCache& instance() {
    static StridedMatmulCache cache;
    return cache;
  }

  Primitive get(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& out,
                float scale) {
    std::vector<int64_t> key;  // rank and unit-stride dimension of each operand, the scale
    for (const torch::Tensor* t : {&a, &b, &out}) {
      key.push_back(t->dim());
      key.push_back(t->stride(-1) == 1 ? 1 : 2);
    }
    key.push_back(static_cast<int64_t>(std::bit_cast<uint32_t>(scale)));
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = primitives_.find(key);
    if (it == primitives_.end()) {
      dnnl::primitive_attr attr;
      attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
      if (scale != 1.0f) attr.set_output_scales(0, {scale});
      const dnnl::matmul::desc desc(runtime_desc(a), runtime_desc(b), runtime_desc(out));
      const dnnl::matmul::primitive_desc pd(desc, attr, engine_);
      it = primitives_
               .emplace(std::move(key),
                        Primitive{dnnl::matmul(pd),
                                  static_cast<int64_t>(pd.scratchpad_desc().get_size())})
               .first;
    }
    return it->second;
  }

  const dnnl::engine& engine() const { return engine_; }

 private:
  StridedMatmulCache() : engine_(dnnl::engine::kind::cpu, 0) {}

  dnnl::engine engine_;
  std::mutex mutex_;
  std::map<std::vector<int64_t>, Primitive> primitives_;
};

}  // namespace

void strided_matmul(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out,
                    float scale) {
  TORCH_CHECK(a.dim() == b.dim() && a.dim() == out.dim() && (a.dim() == 3 || a.dim() == 4),
              "strided_matmul: operands of rank 3 or 4");
  TORCH_CHECK(a.scalar_type() == torch::kFloat32 && b.scalar_type() == torch::kFloat32 &&
                  out.scalar_type() == torch::kFloat32,
              "strided_matmul: fp32 operands");
  for (const torch::Tensor* t : {&a, &b, static_cast<const torch::Tensor*>(&out)})
    TORCH_CHECK(t->stride(-1) == 1 || t->stride(-2) == 1,
                "strided_matmul: an innermost dimension of unit stride");
  if (out.numel() == 0) return;
  if (a.size(-1) == 0) {
    out.zero_();
    return;
  }
  auto& cache = StridedMatmulCache::instance();
  const Primitive primitive = cache.get(a, b, out, scale);
  const dnnl::engine& engine = cache.engine();
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, memory(strided_desc(a), engine, a.data_ptr())},
      {DNNL_ARG_WEIGHTS, memory(strided_desc(b), engine, b.data_ptr())},
      {DNNL_ARG_DST, memory(strided_desc(out), engine, out.data_ptr())}};
  execute_with_scratchpad(primitive.matmul, primitive.scratchpad_bytes, args, engine);
}

}  // namespace finsent::ops::cpu
