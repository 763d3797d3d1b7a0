// WordPiece vocabulary: token strings by id and allocation-free lookups of string_views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace finsent::text {

class Vocab {
 public:
  Vocab() = default;
  // tokens[i] is the token of id i. A token listed twice maps to its last id, as in the reference
  // (a HashMap insert per line); the earlier id becomes "shadowed" (no token for decoding).
  // `continuing_prefix` ("##") is what marks word-internal pieces.
  Vocab(std::vector<std::string> tokens, std::string continuing_prefix);

  // Id of an exact token.
  std::optional<int32_t> find(std::string_view token) const;
  // Id of continuing_prefix + rest, without building that string.
  std::optional<int32_t> find_continuation(std::string_view rest) const;

  const std::string& token(int32_t id) const { return tokens_[static_cast<size_t>(id)]; }
  bool shadowed(int32_t id) const { return shadowed_[static_cast<size_t>(id)]; }
  size_t size() const { return tokens_.size(); }
  const std::vector<std::string>& tokens() const { return tokens_; }
  const std::string& continuing_prefix() const { return prefix_; }
  // Longest token in bytes, without the prefix for continuation tokens: no match can be longer.
  size_t max_piece_bytes() const { return max_piece_bytes_; }
  // Tokens listed more than once (for a warning at load time).
  const std::vector<std::string>& duplicates() const { return duplicates_; }

 private:
  struct Slot {
    uint32_t hash = 0;
    int32_t id = -1;
  };
  static uint32_t hash(std::string_view s);
  void insert(std::vector<Slot>& table, std::string_view key, int32_t id);
  std::optional<int32_t> lookup(const std::vector<Slot>& table, std::string_view key,
                                size_t skip) const;

  std::vector<std::string> tokens_;
  std::vector<bool> shadowed_;
  std::vector<std::string> duplicates_;
  std::string prefix_;
  std::vector<Slot> whole_;         // every token, keyed by its full text
  std::vector<Slot> continuation_;  // tokens starting with prefix_, keyed by the rest
  size_t mask_ = 0;
  size_t max_piece_bytes_ = 0;
};

}  // namespace finsent::text
