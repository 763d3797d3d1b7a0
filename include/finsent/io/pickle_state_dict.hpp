// A restricted unpickler for PyTorch state dicts: builds data, never calls or imports anything.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "finsent/io/safetensors.hpp"

namespace finsent::io {

// A storage referenced by the pickle (persistent id ('storage', torch.<T>Storage, key, location,
// numel)); its bytes live in the archive record data/<key>.
struct PickledStorage {
  std::string key;
  DType dtype;
  uint64_t numel;
};

// One state-dict entry: a strided view of `storages[storage]`, in elements of that storage.
struct PickledTensor {
  std::string name;
  size_t storage;  // index into StateDictPickle::storages
  uint64_t storage_offset;
  std::vector<int64_t> shape;    // each >= 0
  std::vector<int64_t> strides;  // same rank as shape, each >= 0
};

struct StateDictPickle {
  std::vector<PickledStorage> storages;
  std::vector<PickledTensor> tensors;  // in the state dict's order
};

// Interprets `pickle` (data.pkl of a torch.save zip, protocols 2-5) with a whitelist: the only
// callables are collections.OrderedDict, torch._utils._rebuild_tensor(_v2),
// torch._utils._rebuild_parameter(_with_state); the only other globals are the typed storage
// classes torch.{Float,Double,Half,BFloat16,Long,Int,Short,Char,Byte,Bool}Storage, used as
// persistent-id tags. Anything else (another global, an opcode outside the data subset, a
// top-level object that is not a dict of str -> tensor) throws WeightsError naming `origin` and
// the offending global or opcode. Nothing in the pickle is executed. Memory use is bounded by a
// small multiple of the pickle's size.
StateDictPickle unpickle_state_dict(std::span<const std::byte> pickle, const std::string& origin);

}  // namespace finsent::io
