// Open-addressing hash tables over the vocabulary, keyed by string_view (no per-lookup allocation).
#include "vocab.hpp"

#include <cstring>
#include <unordered_map>

namespace finsent::text {

uint32_t Vocab::hash(std::string_view s) {
  // 8-byte blocks, then MurmurHash3's fmix64 finalizer so every input bit reaches the low bits
  // that pick the slot: words are short, so this beats byte-wise FNV.
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xC2B2AE3D27D4EB4Full);
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t block;
    std::memcpy(&block, s.data() + i, 8);
    h = (h ^ block) * 0x87C37B91114253D5ull;
    h = (h << 31) | (h >> 33);
  }
  uint64_t tail = 0;
  if (s.size() > i) std::memcpy(&tail, s.data() + i, s.size() - i);
  h ^= tail;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return static_cast<uint32_t>(h) | 1u;  // 0 marks an empty slot
}

Vocab::Vocab(std::vector<std::string> tokens, std::string continuing_prefix)
    : tokens_(std::move(tokens)), prefix_(std::move(continuing_prefix)) {
  shadowed_.assign(tokens_.size(), false);
  size_t capacity = 16;
  while (capacity < tokens_.size() * 2) capacity <<= 1;
  mask_ = capacity - 1;
  whole_.assign(capacity, Slot{});
  continuation_.assign(capacity, Slot{});
  std::unordered_map<std::string_view, int32_t> last_id;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    auto [it, fresh] = last_id.try_emplace(tokens_[i], static_cast<int32_t>(i));
    if (!fresh) {
      shadowed_[static_cast<size_t>(it->second)] = true;
      duplicates_.push_back(tokens_[i]);
      it->second = static_cast<int32_t>(i);
    }
  }
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (shadowed_[i]) continue;
    const std::string_view t = tokens_[i];
    const auto id = static_cast<int32_t>(i);
    insert(whole_, t, id);
    size_t piece = t.size();
    if (!prefix_.empty() && t.size() >= prefix_.size() && t.substr(0, prefix_.size()) == prefix_) {
      insert(continuation_, t.substr(prefix_.size()), id);
      piece = t.size() - prefix_.size();
    }
    max_piece_bytes_ = std::max(max_piece_bytes_, std::max(piece, t.size()));
  }
}

void Vocab::insert(std::vector<Slot>& table, std::string_view key, int32_t id) {
  const uint32_t h = hash(key);
  size_t pos = h & mask_;
  while (table[pos].id >= 0) pos = (pos + 1) & mask_;
  table[pos] = Slot{h, id};
}

std::optional<int32_t> Vocab::lookup(const std::vector<Slot>& table, std::string_view key,
                                     size_t skip) const {
  if (tokens_.empty()) return std::nullopt;
  const uint32_t h = hash(key);
  for (size_t pos = h & mask_; table[pos].id >= 0; pos = (pos + 1) & mask_) {
    if (table[pos].hash != h) continue;
    const std::string_view t = tokens_[static_cast<size_t>(table[pos].id)];
    if (t.size() == key.size() + skip &&
        (key.empty() || std::memcmp(t.data() + skip, key.data(), key.size()) == 0)) {
      return table[pos].id;
    }
  }
  return std::nullopt;
}

std::optional<int32_t> Vocab::find(std::string_view token) const {
  return lookup(whole_, token, 0);
}

std::optional<int32_t> Vocab::find_continuation(std::string_view rest) const {
  if (prefix_.empty()) return find(rest);
  return lookup(continuation_, rest, prefix_.size());
}

}  // namespace finsent::text
