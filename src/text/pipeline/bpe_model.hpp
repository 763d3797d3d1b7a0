// The BPE model (tokenizers::models::bpe::BPE): merges applied by rank to a word's characters,
// with continuing_subword_prefix, end_of_word_suffix, byte_fallback, unk_token / fuse_unk and
// ignore_merges. dropout is accepted and ignored: inference never drops merges. Like the
// reference, a bounded cache maps each word already seen to its tokens.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "components.hpp"
#include "string_map.hpp"

namespace finsent::text {

struct BpeOptions {
  std::optional<std::string> unk_token;
  std::optional<std::string> continuing_subword_prefix;
  std::optional<std::string> end_of_word_suffix;
  bool fuse_unk = false;
  bool byte_fallback = false;
  bool ignore_merges = false;
};

class BpeModel final : public Model {
 public:
  // vocab: token -> id; merges in rank order. Throws TokenizerError when a merge's parts or
  // result are not in the vocabulary, naming the merge.
  BpeModel(StringIdMap vocab, const std::vector<std::pair<std::string, std::string>>& merges,
           BpeOptions options);

  // Words shorter than kMaxCachedWordBytes are looked up in (and, until it holds
  // kWordCacheCapacity words, added to) a cache, one per thread (tokenizers' BPE keeps 10000
  // words of fewer than 256 characters); the result is the same as without it.
  void tokenize(std::string_view sequence, std::vector<Token>& out) const override;
  static constexpr size_t kWordCacheCapacity = 10000;
  static constexpr size_t kMaxCachedWordBytes = 256;
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  const std::string* id_to_token(int32_t id) const override;
  size_t vocab_size() const override { return id_to_token_.size(); }
  const BpeOptions& options() const { return options_; }

 private:
  struct PairHash {
    size_t operator()(uint64_t k) const { return std::hash<uint64_t>{}(k * 0x9E3779B97F4A7C15ULL); }
  };
  struct MergeTarget {
    uint32_t rank;
    int32_t new_id;
  };
  const MergeTarget* find_merge(int32_t a, int32_t b) const;
  // The merges themselves, without the cache.
  void merge_word(std::string_view word, std::vector<Token>& out) const;
  std::optional<int32_t> unk_id() const;

  StringIdMap vocab_;
  std::vector<std::string> id_to_token_;
  std::vector<bool> has_token_;
  std::unordered_map<uint64_t, MergeTarget, PairHash> merges_;
  BpeOptions options_;
  uint64_t cache_owner_;  // unique per model: a thread's cache belongs to one model at a time
};

// The "BPE" model section of tokenizer.json (vocab object, merges as "a b" or ["a", "b"]).
std::unique_ptr<Model> make_bpe_model(const nlohmann::json& j);
// "a b" lines or ["a", "b"] pairs; `where` names the source in errors.
std::vector<std::pair<std::string, std::string>> parse_merges(const nlohmann::json& merges,
                                                              const std::string& where);

}  // namespace finsent::text
