// The packed-weight cache and the matmul primitives that read it.
#include "packed_linear.hpp"

#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "onednn_execute.hpp"

namespace finsent::ops::cpu {
namespace {

using dnnl::memory;

struct PackedWeights {
  std::optional<c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>> source;
  bool alive() const { return source && !source->expired(); }
  uint32_t version = 0;
  const void* data = nullptr;
  memory packed;
};

// The process's packed weights and primitives. Entries of freed weight tensors are dropped when
// the next weight is packed.
class PackedMatmulCache {
 public:
  static PackedMatmulCache& instance() {
    static PackedMatmulCache cache;
    return cache;
  }

  struct Primitive {
    dnnl::matmul matmul;
    memory::desc weights;
    int64_t scratchpad_bytes = 0;
  };

  // The primitive for [rows, in] x [in, out] (+ bias) and the weights packed for it.
  std::pair<Primitive, memory> get(const torch::Tensor& weight, int64_t rows, bool has_bias) {
    const int64_t out = weight.size(0), in = weight.size(1);
    std::lock_guard<std::mutex> lock(mutex_);
    const auto key = std::make_tuple(rows, in, out, has_bias);
    auto prim = primitives_.find(key);
    if (prim == primitives_.end()) {
      // Bounded: a server sees ever new row counts; dropping all is cheap, they are rebuilt.
      if (primitives_.size() >= kMaxPrimitives) primitives_.clear();
      const memory::desc src({rows, in}, memory::data_type::f32, memory::format_tag::ab);
      const memory::desc wei({in, out}, memory::data_type::f32, memory::format_tag::any);
      const memory::desc bia({1, out}, memory::data_type::f32, memory::format_tag::ab);
      const memory::desc dst({rows, out}, memory::data_type::f32, memory::format_tag::ab);
      const dnnl::matmul::desc desc =
          has_bias ? dnnl::matmul::desc(src, wei, bia, dst) : dnnl::matmul::desc(src, wei, dst);
      // Scratch memory comes from the caller per call, not held by each cached primitive.
      dnnl::primitive_attr attr;
      attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
      dnnl::matmul::primitive_desc pd(desc, attr, engine_);
      prim = primitives_
                 .emplace(key, Primitive{dnnl::matmul(pd), pd.weights_desc(),
                                         static_cast<int64_t>(pd.scratchpad_desc().get_size())})
                 .first;
    }
    return {prim->second, packed(weight, prim->second.weights)};
  }

  const dnnl::engine& engine() const { return engine_; }

 private:
  PackedMatmulCache() : engine_(dnnl::engine::kind::cpu, 0) {}

  // `weight` [out, in] row-major is the [in, out] matrix in column-major ("ba") order; oneDNN
  // reorders it into the layout the primitive asked for.
  memory packed(const torch::Tensor& weight, const memory::desc& layout) {
    PackedWeights& entry = weights_[weight.unsafeGetTensorImpl()];
    const uint32_t version = weight._version();
    if (entry.alive() && entry.version == version && entry.data == weight.data_ptr() &&
        entry.packed.get_desc() == layout)
      return entry.packed;
    for (auto it = weights_.begin(); it != weights_.end();)
      it = !it->second.alive() && &it->second != &entry ? weights_.erase(it) : std::next(it);
    const int64_t out = weight.size(0), in = weight.size(1);
    memory user({{in, out}, memory::data_type::f32, memory::format_tag::ba}, engine_,
                weight.data_ptr<float>());
    memory result(layout, engine_);
    dnnl::stream stream(engine_);
    dnnl::reorder(user, result).execute(stream, user, result);
    stream.wait();
    entry.source.emplace(weight.getIntrusivePtr());
    entry.version = version;
    entry.data = weight.data_ptr();
    entry.packed = result;
    return result;
  }

  static constexpr size_t kMaxPrimitives = 1024;

  dnnl::engine engine_;
  std::mutex mutex_;
  std::map<std::tuple<int64_t, int64_t, int64_t, bool>, Primitive> primitives_;
  std::unordered_map<const c10::TensorImpl*, PackedWeights> weights_;
};

}  // namespace

torch::Tensor packed_linear(const torch::Tensor& x2, const torch::Tensor& weight,
                            const torch::Tensor& bias) {
  const int64_t rows = x2.size(0), out = weight.size(0);
  torch::Tensor y = torch::empty({rows, out}, x2.options());
  if (rows == 0) return y;
  auto& cache = PackedMatmulCache::instance();
  auto [primitive, packed] = cache.get(weight, rows, bias.defined());
  const dnnl::engine& engine = cache.engine();
  memory src({{rows, weight.size(1)}, memory::data_type::f32, memory::format_tag::ab}, engine,
             x2.data_ptr<float>());
  memory dst({{rows, out}, memory::data_type::f32, memory::format_tag::ab}, engine,
             y.data_ptr<float>());
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, packed}, {DNNL_ARG_DST, dst}};
  if (bias.defined())
    args[DNNL_ARG_BIAS] = memory({{1, out}, memory::data_type::f32, memory::format_tag::ab}, engine,
                                 bias.data_ptr<float>());
  execute_with_scratchpad(primitive.matmul, primitive.scratchpad_bytes, args, engine);
  return y;
}

}  // namespace finsent::ops::cpu
