// safetensors reader: validates the header exactly as strictly as the reference Rust crate
// (plus duplicate-name detection) before exposing zero-copy views of the tensor data.
#include <algorithm>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "finsent/core/error.hpp"
#include "finsent/io/safetensors.hpp"
#include "mapped_file.hpp"
#include "utf8.hpp"

namespace finsent::io {

// Bytes of a whole safetensors file, and whatever keeps them alive (a mapping or a copy).
struct SafetensorsFile::Storage {
  std::span<const std::byte> bytes;
  std::shared_ptr<const void> owner;
};

namespace {

constexpr uint64_t kMaxHeaderSize = 100'000'000;  // the reference reader's limit
constexpr int kMaxJsonDepth = 64;                 // far beyond any valid header's 3 levels

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw WeightsError(origin + ": " + what);
}

std::string ticked(std::string_view s) {
  std::string out(1, '\'');
  out.append(s);
  out += '\'';
  return out;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

// Tracks the keys of every open JSON object while nlohmann parses, because its DOM silently
// keeps the last of duplicate keys; a duplicate tensor name must be an error, not an overwrite.
class DuplicateKeyGuard {
 public:
  explicit DuplicateKeyGuard(const std::string& origin) : origin_(origin) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (frames_.size() >= kMaxJsonDepth) {
          fail(origin_,
               "header JSON is nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
        }
        frames_.push_back({event == json::parse_event_t::object_start, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case json::parse_event_t::key: {
        Frame& top = frames_.back();
        const auto& key = parsed.get_ref<const std::string&>();
        if (!top.keys.insert(key).second) report_duplicate(key);
        top.last_key = key;
        break;
      }
      case json::parse_event_t::value:
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string last_key;
  };

  [[noreturn]] void report_duplicate(const std::string& key) const {
    if (frames_.size() == 1) {
      if (key == "__metadata__") fail(origin_, "duplicate __metadata__ entry in header");
      fail(origin_, "duplicate tensor name " + ticked(key) + " in header");
    }
    const std::string& outer = frames_.front().last_key;
    if (outer == "__metadata__") fail(origin_, "duplicate __metadata__ key " + ticked(key));
    fail(origin_, "tensor " + ticked(outer) + ": duplicate field " + ticked(key));
  }

  const std::string& origin_;
  std::vector<Frame> frames_;
};

// An unsigned JSON integer that fits `limit`, else a WeightsError for `what`.
uint64_t to_unsigned(const json& v, uint64_t limit, const std::string& origin,
                     const std::string& what) {
  if (v.is_number_unsigned()) {
    uint64_t x = v.get<uint64_t>();
    if (x <= limit) return x;
    fail(origin, what + " is too large (" + std::to_string(x) + ")");
  }
  if (v.is_number_integer()) fail(origin, what + " is negative (" + v.dump() + ")");
  fail(origin, what + " must be a non-negative integer, got " + v.dump());
}

TensorInfo parse_tensor(const std::string& origin, const std::string& name, const json& entry) {
  const std::string where = "tensor " + ticked(name);
  if (!entry.is_object()) {
    fail(origin, where + ": expected an object with dtype, shape and data_offsets, got " +
                     std::string(entry.type_name()));
  }
  // Unknown fields are ignored, as the reference reader does.
  auto field = [&](const char* key) -> const json& {
    auto it = entry.find(key);
    if (it == entry.end()) fail(origin, where + ": missing field '" + key + "'");
    return *it;
  };
  TensorInfo info;
  info.name = name;

  const json& dtype = field("dtype");
  if (!dtype.is_string()) fail(origin, where + ": dtype must be a string, got " + dtype.dump());
  const auto& dtype_str = dtype.get_ref<const std::string&>();
  auto dt = dtype_from_name(dtype_str);
  if (!dt) {
    if (dtype_str == "F4" || dtype_str == "F6_E2M3" || dtype_str == "F6_E3M2") {
      fail(origin, where + ": sub-byte dtype " + dtype_str + " is not supported");
    }
    fail(origin, where + ": unknown dtype " + dtype.dump());
  }
  info.dtype = *dt;

  const json& shape = field("shape");
  if (!shape.is_array()) fail(origin, where + ": shape must be an array, got " + shape.dump());
  info.shape.reserve(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) {
    info.shape.push_back(static_cast<int64_t>(
        to_unsigned(shape[i], static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), origin,
                    where + ": shape[" + std::to_string(i) + "]")));
  }

  const json& offsets = field("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2) {
    fail(origin, where + ": data_offsets must be an array [begin, end], got " + offsets.dump());
  }
  uint64_t max = std::numeric_limits<uint64_t>::max();
  info.begin = to_unsigned(offsets[0], max, origin, where + ": data_offsets[0]");
  info.end = to_unsigned(offsets[1], max, origin, where + ": data_offsets[1]");
  return info;
}

std::map<std::string, std::string> parse_metadata(const std::string& origin, const json& value) {
  std::map<std::string, std::string> out;
  if (value.is_null()) return out;  // the reference accepts an explicit null
  if (!value.is_object()) {
    fail(origin,
         "__metadata__ must be an object of strings, got " + std::string(value.type_name()));
  }
  for (const auto& [key, v] : value.items()) {
    if (!v.is_string()) {
      fail(origin, "__metadata__ key " + ticked(key) + " must map to a string, got " + v.dump());
    }
    out.emplace(key, v.get<std::string>());
  }
  return out;
}

// The byte size of a tensor of `shape` and `dtype`, or nullopt on uint64 overflow.
std::optional<uint64_t> byte_size(const std::vector<int64_t>& shape, DType dtype) {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return std::nullopt;
  }
  if (__builtin_mul_overflow(n, static_cast<uint64_t>(dtype_size(dtype)), &n)) return std::nullopt;
  return n;
}

}  // namespace

SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  std::shared_ptr<const detail::MappedFile> mapped;
  try {
    mapped = detail::MappedFile::open(path);
  } catch (const IoError& e) {
    throw WeightsError(e.what());
  }
  auto storage = std::make_shared<Storage>();
  storage->bytes = mapped->bytes();
  storage->owner = mapped;
  return from_storage(std::move(storage), path.string());
}

SafetensorsFile SafetensorsFile::parse(std::span<const std::byte> bytes, std::string_view origin) {
  // Validate against the caller's buffer first so nothing is copied for a rejected input.
  SafetensorsFile file =
      from_storage(std::make_shared<Storage>(Storage{bytes, nullptr}), std::string(origin));
  auto copy = std::make_shared<std::vector<std::byte>>(bytes.begin(), bytes.end());
  file.storage_ = std::make_shared<Storage>(Storage{std::span<const std::byte>(*copy), copy});
  return file;
}

SafetensorsFile SafetensorsFile::from_storage(std::shared_ptr<const Storage> storage,
                                              std::string origin) {
  const auto bytes = storage->bytes;
  if (bytes.size() < 8) {
    fail(origin, "file is " + std::to_string(bytes.size()) +
                     " bytes; a safetensors file needs at least an 8-byte header length");
  }
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | std::to_integer<uint64_t>(bytes[i]);
  if (n > kMaxHeaderSize) {
    fail(origin, "header length " + std::to_string(n) + " exceeds the limit of " +
                     std::to_string(kMaxHeaderSize) + " bytes");
  }
  if (n > bytes.size() - 8) {
    fail(origin, "header length " + std::to_string(n) + " runs past the end of the file (" +
                     std::to_string(bytes.size()) + " bytes)");
  }
  std::string_view header(reinterpret_cast<const char*>(bytes.data() + 8), n);
  if (auto bad = detail::invalid_utf8_at(header)) {
    fail(origin, "header is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }

  // nlohmann's lexer takes a NUL byte for end of input; valid JSON never holds a raw NUL.
  if (auto nul = header.find('\0'); nul != std::string_view::npos) {
    fail(origin, "header is not valid JSON: NUL byte at header offset " + std::to_string(nul));
  }

  json root;
  DuplicateKeyGuard guard(origin);
  try {
    root = json::parse(header.begin(), header.end(), std::ref(guard));
  } catch (const json::exception& e) {  // parse_error, or out_of_range for numbers like 1e999
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    fail(origin, "header is not valid JSON: " + what);
  }
  if (!root.is_object()) {
    fail(origin, "header must be a JSON object, got " + std::string(root.type_name()));
  }

  SafetensorsFile file;
  file.origin_ = std::move(origin);
  file.header_size_ = n;
  for (const auto& [key, value] : root.items()) {
    if (key == "__metadata__") {
      file.metadata_ = parse_metadata(file.origin_, value);
    } else {
      file.tensors_.push_back(parse_tensor(file.origin_, key, value));
    }
  }
  root = json();  // release the DOM before the checks below

  auto& ts = file.tensors_;
  std::sort(ts.begin(), ts.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  const uint64_t data_size = bytes.size() - 8 - n;
  uint64_t expected_begin = 0;
  for (const auto& t : ts) {
    const std::string where = "tensor " + ticked(t.name);
    if (t.begin != expected_begin || t.end < t.begin) {
      std::string why = t.end < t.begin            ? "ends before it begins"
                        : t.begin < expected_begin ? "overlaps the previous tensor"
                                                   : "leaves a gap after the previous tensor";
      fail(file.origin_, where + ": invalid data_offsets [" + std::to_string(t.begin) + ", " +
                             std::to_string(t.end) + "] (" + why + "; expected it to begin at " +
                             std::to_string(expected_begin) + ")");
    }
    auto need = byte_size(t.shape, t.dtype);
    if (!need) {
      fail(file.origin_, where + ": shape " + shape_text(t.shape) + " of " +
                             std::string(dtype_name(t.dtype)) + " overflows 64-bit byte size");
    }
    if (*need != t.end - t.begin) {
      fail(file.origin_, where + ": data_offsets [" + std::to_string(t.begin) + ", " +
                             std::to_string(t.end) + "] hold " + std::to_string(t.end - t.begin) +
                             " bytes but shape " + shape_text(t.shape) + " of " +
                             std::string(dtype_name(t.dtype)) + " needs " + std::to_string(*need));
    }
    if (t.end > data_size) {
      fail(file.origin_, where + ": data_offsets end " + std::to_string(t.end) +
                             " is past the end of the file (data section is " +
                             std::to_string(data_size) + " bytes)");
    }
    expected_begin = t.end;
  }
  if (expected_begin != data_size) {
    fail(file.origin_, std::to_string(data_size - expected_begin) +
                           " trailing bytes after the last tensor" +
                           (ts.empty() ? std::string() : " " + ticked(ts.back().name)) +
                           " (file must end where the last tensor ends)");
  }
  for (size_t i = 0; i < ts.size(); ++i) file.index_.emplace(ts[i].name, i);
  file.storage_ = std::move(storage);
  return file;
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::span<const std::byte> SafetensorsFile::data(const TensorInfo& tensor) const {
  const uint64_t data_start = 8 + header_size_;
  const auto bytes = storage_->bytes;
  if (tensor.end < tensor.begin || tensor.end > bytes.size() - data_start) {
    throw WeightsError(origin_ + ": tensor " + ticked(tensor.name) +
                       ": offsets do not belong to this file");
  }
  return bytes.subspan(data_start + tensor.begin, tensor.end - tensor.begin);
}

bool SafetensorsFile::aligned(const TensorInfo& tensor) const {
  auto addr = reinterpret_cast<uintptr_t>(data(tensor).data());
  return addr % dtype_size(tensor.dtype) == 0;
}

}  // namespace finsent::io
