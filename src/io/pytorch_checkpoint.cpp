// pytorch_model.bin: zip directory + restricted unpickler + bounds checks on every tensor view.
#include "finsent/io/pytorch_checkpoint.hpp"

#include <cstring>

#include "finsent/core/error.hpp"
#include "finsent/io/pickle_state_dict.hpp"
#include "mapped_file.hpp"
#include "zip_archive.hpp"

namespace finsent::io {
namespace {

bool mul(uint64_t a, uint64_t b, uint64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}
bool add(uint64_t a, uint64_t b, uint64_t& out) {
  return !__builtin_add_overflow(a, b, &out);
}

// The archive's top folder: torch.save names entries "<stem>/data.pkl", "<stem>/data/0", ...
std::string archive_prefix(const detail::ZipArchive& zip, const std::string& origin) {
  std::string prefix;
  int found = 0;
  for (const auto& [name, _] : zip.entries()) {
    auto slash = name.find('/');
    if (slash != std::string::npos && name.compare(slash, std::string::npos, "/data.pkl") == 0) {
      prefix = name.substr(0, slash + 1);
      ++found;
    }
  }
  if (found != 1) {
    throw WeightsError(origin + ": not a torch.save checkpoint: expected one <name>/data.pkl " +
                       "record, found " + std::to_string(found));
  }
  return prefix;
}

bool is_contiguous(const PytorchTensor& t) {
  int64_t expected = 1;
  for (size_t i = t.shape.size(); i-- > 0;) {
    if (t.shape[i] != 1 && t.strides[i] != expected) return false;
    expected *= t.shape[i];
  }
  return true;
}

// Copies the strided elements of `t` from `storage` into row-major order.
void gather(const PytorchTensor& t, std::span<const std::byte> storage, size_t es, std::byte* out,
            uint64_t numel) {
  std::vector<int64_t> idx(t.shape.size(), 0);
  for (uint64_t n = 0; n < numel; ++n) {
    uint64_t e = t.storage_offset;
    for (size_t d = 0; d < idx.size(); ++d) e += static_cast<uint64_t>(idx[d] * t.strides[d]);
    std::memcpy(out + n * es, storage.data() + e * es, es);
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace

PytorchCheckpoint::PytorchCheckpoint(PytorchCheckpoint&&) noexcept = default;
PytorchCheckpoint& PytorchCheckpoint::operator=(PytorchCheckpoint&&) noexcept = default;
PytorchCheckpoint::~PytorchCheckpoint() = default;

PytorchCheckpoint PytorchCheckpoint::open(const std::filesystem::path& path) {
  std::shared_ptr<const detail::MappedFile> mapped;
  try {
    mapped = detail::MappedFile::open(path);
  } catch (const IoError& e) {
    throw WeightsError(e.what());
  }
  auto bytes = mapped->bytes();
  return from_bytes(std::move(mapped), bytes, path.string());
}

PytorchCheckpoint PytorchCheckpoint::parse(std::span<const std::byte> bytes,
                                           std::string_view origin) {
  auto copy = std::make_shared<std::vector<std::byte>>(bytes.begin(), bytes.end());
  std::span<const std::byte> view(*copy);
  return from_bytes(std::move(copy), view, std::string(origin));
}

PytorchCheckpoint PytorchCheckpoint::from_bytes(std::shared_ptr<const void> owner,
                                                std::span<const std::byte> file,
                                                std::string origin_name) {
  PytorchCheckpoint ck;
  ck.origin_ = std::move(origin_name);
  const std::string& origin = ck.origin_;
  ck.mapping_ = std::move(owner);
  if (!detail::ZipArchive::looks_like_zip(file)) {
    throw WeightsError(origin + ": not a zip-format torch.save checkpoint (files saved by " +
                       "PyTorch < 1.6 or with _use_new_zipfile_serialization=False are not " +
                       "supported); re-save it with torch.save or convert it to model.safetensors");
  }
  detail::ZipArchive zip(file, origin);
  std::string prefix = archive_prefix(zip, origin);
  if (auto* order = zip.find(prefix + "byteorder")) {
    std::string_view bo(reinterpret_cast<const char*>(order->data()), order->size());
    if (bo != "little")
      throw WeightsError(origin + ": byteorder '" + std::string(bo) + "' is not supported");
  }
  StateDictPickle sd = unpickle_state_dict(*zip.find(prefix + "data.pkl"), origin);

  std::vector<std::span<const std::byte>> records;
  for (const auto& s : sd.storages) {
    const auto* rec = zip.find(prefix + "data/" + s.key);
    if (!rec) throw WeightsError(origin + ": storage record data/" + s.key + " is missing");
    uint64_t need;
    if (!mul(s.numel, dtype_size(s.dtype), need) || rec->size() < need) {
      throw WeightsError(origin + ": storage record data/" + s.key + " holds " +
                         std::to_string(rec->size()) + " bytes, less than its " +
                         std::to_string(s.numel) + " " + std::string(dtype_name(s.dtype)) +
                         " elements");
    }
    records.push_back(rec->first(need));
  }

  uint64_t gather_budget = file.size();
  for (const auto& p : sd.tensors) {
    const PickledStorage& s = sd.storages[p.storage];
    PytorchTensor t{p.name, s.dtype, p.shape, p.strides, p.storage_offset, s.key};
    const std::string where = origin + ": tensor '" + t.name + "'";
    if (ck.index_.count(t.name)) throw WeightsError(where + ": duplicate name");
    const size_t es = dtype_size(t.dtype);
    uint64_t numel = 1, last = t.storage_offset;
    bool ok = true;
    for (size_t d = 0; d < t.shape.size() && ok; ++d) {
      uint64_t extent = 0;
      ok = mul(numel, static_cast<uint64_t>(t.shape[d]), numel);
      if (t.shape[d] > 0) {
        ok = ok &&
             mul(static_cast<uint64_t>(t.shape[d] - 1), static_cast<uint64_t>(t.strides[d]),
                 extent) &&
             add(last, extent, last);
      }
    }
    uint64_t nbytes = 0;
    if (!ok || !mul(numel, es, nbytes)) throw WeightsError(where + ": size overflows");
    if (numel > 0 && last >= s.numel) {
      throw WeightsError(where + ": reaches element " + std::to_string(last) + " of storage " +
                         s.key + ", which has " + std::to_string(s.numel));
    }
    std::span<const std::byte> bytes;
    bool view = numel == 0 || is_contiguous(t);
    if (numel == 0) {
      bytes = {};
    } else if (view) {
      bytes = records[p.storage].subspan(t.storage_offset * es, nbytes);
    } else {
      if (nbytes > gather_budget) {
        throw WeightsError(where +
                           ": non-contiguous tensors need more copying than the file's size");
      }
      gather_budget -= nbytes;
      auto buf = std::make_unique<std::vector<std::byte>>(nbytes);
      gather(t, records[p.storage], es, buf->data(), numel);
      bytes = *buf;
      ck.gathered_.push_back(std::move(buf));
    }
    ck.index_.emplace(t.name, ck.tensors_.size());
    ck.tensors_.push_back(std::move(t));
    ck.data_.push_back(bytes);
    ck.zero_copy_.push_back(view);
  }
  return ck;
}

const PytorchTensor* PytorchCheckpoint::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::span<const std::byte> PytorchCheckpoint::data(const PytorchTensor& tensor) const {
  auto it = index_.find(tensor.name);
  if (it == index_.end()) throw WeightsError(origin_ + ": no tensor '" + tensor.name + "'");
  return data_[it->second];
}

bool PytorchCheckpoint::zero_copy(const PytorchTensor& tensor) const {
  auto it = index_.find(tensor.name);
  return it != index_.end() && zero_copy_[it->second];
}

}  // namespace finsent::io
