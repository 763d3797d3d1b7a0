// safetensors writer: the reference crate's layout (tensor order, compact header, space padding).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/io/safetensors.hpp"
#include "utf8.hpp"

namespace finsent::io {
namespace {

// Position of each dtype in the Rust crate's `Dtype` declaration. Its writer sorts tensors by
// this rank, descending (so the widest, most-aligned types come first), then by name; writing
// the same order makes our files byte-identical to the reference's.
int reference_rank(DType dtype) {
  switch (dtype) {
    case DType::BOOL:
      return 0;
    // F4, F6_E2M3, F6_E3M2 (1..3) are not supported here.
    case DType::U8:
      return 4;
    case DType::I8:
      return 5;
    case DType::F8_E5M2:
      return 6;
    case DType::F8_E4M3:
      return 7;
    case DType::F8_E8M0:
      return 8;
    case DType::I16:
      return 9;
    case DType::U16:
      return 10;
    case DType::F16:
      return 11;
    case DType::BF16:
      return 12;
    case DType::I32:
      return 13;
    case DType::U32:
      return 14;
    case DType::F32:
      return 15;
    case DType::C64:
      return 16;
    case DType::F64:
      return 17;
    case DType::I64:
      return 18;
    case DType::U64:
      return 19;
  }
  return -1;
}

void check_utf8(const std::string& s, const std::string& what) {
  if (detail::invalid_utf8_at(s))
    throw WeightsError("cannot save safetensors: " + what + " is not valid UTF-8");
}

// Validates the tensors and returns them in the reference writer's order.
std::vector<const TensorToWrite*> ordered(const std::vector<TensorToWrite>& tensors) {
  std::set<std::string_view> names;
  std::vector<const TensorToWrite*> out;
  out.reserve(tensors.size());
  for (const auto& t : tensors) {
    const std::string where = "cannot save safetensors: tensor '" + t.name + "'";
    if (t.name.empty()) throw WeightsError("cannot save safetensors: empty tensor name");
    if (t.name == "__metadata__") throw WeightsError(where + ": the name is reserved");
    check_utf8(t.name, "tensor name '" + t.name + "'");
    if (!names.insert(t.name).second) throw WeightsError(where + ": duplicate name");
    uint64_t n = dtype_size(t.dtype);
    for (int64_t d : t.shape) {
      if (d < 0) throw WeightsError(where + ": negative dimension " + std::to_string(d));
      if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) {
        throw WeightsError(where + ": shape overflows 64-bit byte size");
      }
    }
    if (n != t.data.size()) {
      throw WeightsError(where + ": " + std::to_string(t.data.size()) +
                         " data bytes but the shape needs " + std::to_string(n));
    }
    out.push_back(&t);
  }
  std::sort(out.begin(), out.end(), [](const TensorToWrite* a, const TensorToWrite* b) {
    int ra = reference_rank(a->dtype), rb = reference_rank(b->dtype);
    return ra != rb ? ra > rb : a->name < b->name;
  });
  return out;
}

// The 8-byte length prefix plus the padded JSON header.
std::string header_bytes(const std::vector<const TensorToWrite*>& order,
                         const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) {
    auto& m = header["__metadata__"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : metadata) {
      check_utf8(k, "metadata key '" + k + "'");
      check_utf8(v, "metadata value of '" + k + "'");
      m[k] = v;
    }
  }
  uint64_t offset = 0;
  for (const TensorToWrite* t : order) {
    auto& e = header[t->name] = nlohmann::ordered_json::object();
    e["dtype"] = dtype_name(t->dtype);
    e["shape"] = t->shape;
    e["data_offsets"] = {offset, offset + t->data.size()};
    offset += t->data.size();
  }
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  uint64_t n = json.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + json;
}

}  // namespace

std::string serialize_safetensors(const std::vector<TensorToWrite>& tensors,
                                  const std::map<std::string, std::string>& metadata) {
  auto order = ordered(tensors);
  std::string out = header_bytes(order, metadata);
  for (const TensorToWrite* t : order) {
    out.append(reinterpret_cast<const char*>(t->data.data()), t->data.size());
  }
  return out;
}

void write_safetensors(std::ostream& out, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  auto order = ordered(tensors);
  std::string header = header_bytes(order, metadata);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  for (const TensorToWrite* t : order) {
    out.write(reinterpret_cast<const char*>(t->data.data()),
              static_cast<std::streamsize>(t->data.size()));
  }
}

void save_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  AtomicFile file(path);
  write_safetensors(file.stream(), tensors, metadata);
  file.commit();
}

}  // namespace finsent::io
