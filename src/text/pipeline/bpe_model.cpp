// BPE merging as tokenizers' models/bpe/{model,word}.rs: characters, then the lowest-ranked
// adjacent pair merged first (leftmost on ties), with a priority queue.
#include "bpe_model.hpp"

#include <atomic>
#include <cstdio>
#include <queue>

#include "../utf8_decode.hpp"
#include "json_fields.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

struct Symbol {
  int32_t id;
  int32_t prev, next;
  uint32_t begin, len;  // byte range in the word; len 0 = merged away
};

struct QueuedMerge {
  size_t pos;
  uint32_t rank;
  int32_t new_id;
  // std::priority_queue pops the largest: the smallest rank, then the smallest position.
  bool operator<(const QueuedMerge& o) const {
    return rank != o.rank ? rank > o.rank : pos > o.pos;
  }
};

// The calling thread's word cache: word -> a range of `tokens`, for model `owner`; emptied when
// another model uses the thread, never added to once full (tokenizers' Cache does the same).
// Open addressing over a power-of-two table (a std::unordered_map spent most of its lookup in the
// prime-modulus division and the node chase).
class WordCache {
 public:
  static constexpr size_t kSlots = 16384;  // > kWordCacheCapacity / 0.75
  static_assert(kSlots > BpeModel::kWordCacheCapacity * 4 / 3 && (kSlots & (kSlots - 1)) == 0);

  // The cached tokens of `word`, or nullptr.
  const Token* find(std::string_view word, size_t hash, uint32_t& count) const {
    for (size_t i = hash & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
      const Slot& s = slots_[i];
      if (s.count == kEmpty) return nullptr;
      if (s.hash == hash && std::string_view(keys_).substr(s.key, s.key_len) == word) {
        count = s.count;
        return tokens_.data() + s.first;
      }
    }
  }
  size_t size() const { return size_; }
  void insert(std::string_view word, size_t hash, const Token* first, uint32_t count) {
    size_t i = hash & (kSlots - 1);
    while (slots_[i].count != kEmpty) i = (i + 1) & (kSlots - 1);
    slots_[i] = {hash, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(word.size()),
                 static_cast<uint32_t>(tokens_.size()), count};
    keys_.append(word);
    tokens_.insert(tokens_.end(), first, first + count);
    ++size_;
  }
  void reset(uint64_t new_owner) {
    owner = new_owner;
    slots_.assign(kSlots, Slot{});
    keys_.clear();
    tokens_.clear();
    size_ = 0;
  }
  uint64_t owner = 0;

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    size_t hash = 0;
    uint32_t key = 0, key_len = 0, first = 0, count = kEmpty;
  };
  std::vector<Slot> slots_;
  std::string keys_;
  std::vector<Token> tokens_;
  size_t size_ = 0;
};

WordCache& thread_word_cache(uint64_t owner) {
  thread_local WordCache cache;
  if (cache.owner != owner) cache.reset(owner);
  return cache;
}

uint64_t next_cache_owner() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

}  // namespace

BpeModel::BpeModel(StringIdMap vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options)
    : vocab_(std::move(vocab)), options_(std::move(options)), cache_owner_(next_cache_owner()) {
  size_t limit = 0;
  for (const auto& [token, id] : vocab_) {
    if (id < 0) throw TokenizerError("BPE vocabulary: token " + token + " has a negative id");
    limit = std::max(limit, static_cast<size_t>(id) + 1);
  }
  id_to_token_.resize(limit);
  has_token_.assign(limit, false);
  for (const auto& [token, id] : vocab_) {
    id_to_token_[static_cast<size_t>(id)] = token;
    has_token_[static_cast<size_t>(id)] = true;
  }
  const size_t prefix =
      options_.continuing_subword_prefix ? options_.continuing_subword_prefix->size() : 0;
  merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [a, b] = merges[rank];
    const auto a_id = token_to_id(a);
    const auto b_id = token_to_id(b);
    if (!a_id || !b_id) {
      throw TokenizerError("BPE merge " + std::to_string(rank + 1) + " (" + a + " " + b +
                           "): " + (!a_id ? a : b) + " is not in the vocabulary");
    }
    const std::string merged = a + (b.size() >= prefix ? b.substr(prefix) : std::string());
    const auto new_id = token_to_id(merged);
    if (!new_id) {
      throw TokenizerError("BPE merge " + std::to_string(rank + 1) + ": the merged token " +
                           merged + " is not in the vocabulary");
    }
    merges_[pair_key(*a_id, *b_id)] = {static_cast<uint32_t>(rank), *new_id};
  }
}

std::optional<int32_t> BpeModel::token_to_id(std::string_view token) const {
  const auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= id_to_token_.size() ||
      !has_token_[static_cast<size_t>(id)]) {
    return nullptr;
  }
  return &id_to_token_[static_cast<size_t>(id)];
}

const BpeModel::MergeTarget* BpeModel::find_merge(int32_t a, int32_t b) const {
  const auto it = merges_.find(pair_key(a, b));
  return it == merges_.end() ? nullptr : &it->second;
}

std::optional<int32_t> BpeModel::unk_id() const {
  if (!options_.unk_token) return std::nullopt;
  if (auto id = token_to_id(*options_.unk_token)) return id;
  throw TokenizerError("BPE unk_token " + *options_.unk_token + " is not in the vocabulary");
}

void BpeModel::tokenize(std::string_view w, std::vector<Token>& out) const {
  if (w.empty()) return;
  if (w.size() >= kMaxCachedWordBytes) return merge_word(w, out);
  WordCache& cache = thread_word_cache(cache_owner_);
  const size_t hash = std::hash<std::string_view>{}(w);
  uint32_t count = 0;
  if (const Token* cached = cache.find(w, hash, count)) {
    out.insert(out.end(), cached, cached + count);
    return;
  }
  const size_t first = out.size();
  merge_word(w, out);
  if (cache.size() >= kWordCacheCapacity) return;  // full: kept as it is, as the reference
  cache.insert(w, hash, out.data() + first, static_cast<uint32_t>(out.size() - first));
}

void BpeModel::merge_word(std::string_view w, std::vector<Token>& out) const {
  if (options_.ignore_merges) {
    if (auto id = token_to_id(w)) {
      out.push_back({*id, 0, static_cast<uint32_t>(w.size())});
      return;
    }
  }
  // Word::add: each symbol follows the previous one's bytes (merge_word keeps a pending unk and
  // adds it late, exactly as the reference, even after byte-fallback pieces).
  thread_local std::vector<Symbol> symbols;
  thread_local std::string piece;
  symbols.clear();
  uint32_t cursor = 0;
  const auto add = [&](int32_t id, uint32_t byte_len) {
    const auto n = static_cast<int32_t>(symbols.size());
    symbols.push_back({id, n - 1, -1, cursor, byte_len});
    if (n > 0) symbols[static_cast<size_t>(n - 1)].next = n;
    cursor += byte_len;
  };
  // The pending unknown token: id and byte length (unk_len 0 = none).
  int32_t unk = -1;
  uint32_t unk_len = 0;
  for (size_t i = 0; i < w.size();) {
    char32_t c;
    const size_t n = decode_utf8(w, i, c);
    const bool first = i == 0, last = i + n == w.size();
    piece.clear();
    if (!first && options_.continuing_subword_prefix) piece += *options_.continuing_subword_prefix;
    piece.append(w.substr(i, n));
    if (last && options_.end_of_word_suffix) piece += *options_.end_of_word_suffix;
    const auto byte_len = static_cast<uint32_t>(n);
    i += n;
    if (auto id = token_to_id(piece)) {
      if (unk_len > 0) add(unk, unk_len);
      unk_len = 0;
      add(*id, byte_len);
      continue;
    }
    if (options_.byte_fallback) {
      std::vector<int32_t> bytes;
      for (unsigned char b : piece) {
        char code[8];
        std::snprintf(code, sizeof code, "<0x%02X>", b);
        if (auto id = token_to_id(code))
          bytes.push_back(*id);
        else
          break;
      }
      if (bytes.size() == piece.size()) {
        for (int32_t id : bytes) add(id, 1);
        continue;
      }
    }
    if (const auto unk_token = unk_id()) {
      if (unk_len > 0 && options_.fuse_unk) {
        unk_len += byte_len;
      } else {
        if (unk_len > 0) add(unk, unk_len);
        unk = *unk_token;
        unk_len = byte_len;
      }
    }
  }
  if (unk_len > 0) add(unk, unk_len);

  std::priority_queue<QueuedMerge> queue;
  for (size_t k = 0; k + 1 < symbols.size(); ++k) {
    if (const auto* m = find_merge(symbols[k].id, symbols[k + 1].id))
      queue.push({k, m->rank, m->new_id});
  }
  while (!queue.empty()) {
    const QueuedMerge top = queue.top();
    queue.pop();
    Symbol& cur = symbols[top.pos];
    if (cur.len == 0 || cur.next == -1) continue;
    const auto next_pos = static_cast<size_t>(cur.next);
    const Symbol right = symbols[next_pos];
    const auto* m = find_merge(cur.id, right.id);
    if (m == nullptr || m->new_id != top.new_id) continue;
    cur.id = top.new_id;
    cur.len += right.len;
    cur.next = right.next;
    symbols[next_pos].len = 0;
    if (right.next > -1 && static_cast<size_t>(right.next) < symbols.size()) {
      symbols[static_cast<size_t>(right.next)].prev = static_cast<int32_t>(top.pos);
    }
    if (cur.prev >= 0) {
      const Symbol& prev = symbols[static_cast<size_t>(cur.prev)];
      if (const auto* pm = find_merge(prev.id, cur.id)) {
        queue.push({static_cast<size_t>(cur.prev), pm->rank, pm->new_id});
      }
    }
    if (cur.next >= 0 && static_cast<size_t>(cur.next) < symbols.size()) {
      if (const auto* nm = find_merge(cur.id, symbols[static_cast<size_t>(cur.next)].id)) {
        queue.push({top.pos, nm->rank, nm->new_id});
      }
    }
  }
  for (const Symbol& s : symbols) {
    if (s.len != 0) out.push_back({s.id, s.begin, s.begin + s.len});
  }
}

std::vector<std::pair<std::string, std::string>> parse_merges(const json& merges,
                                                              const std::string& where) {
  if (!merges.is_array()) throw TokenizerError(where + ": merges is not a list");
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    const json& m = merges[i];
    if (m.is_string()) {
      const std::string line = m.get<std::string>();
      const size_t space = line.find(' ');
      if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos) {
        throw TokenizerError(where + ": merge " + std::to_string(i + 1) + " is not \"a b\"");
      }
      out.emplace_back(line.substr(0, space), line.substr(space + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      out.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      throw TokenizerError(where + ": merge " + std::to_string(i + 1) + " is not a pair of tokens");
    }
  }
  return out;
}

std::unique_ptr<Model> make_bpe_model(const json& j) {
  const json vocab = jf::get<json>(j, "vocab", json::object(), "model");
  if (!vocab.is_object()) throw TokenizerError("tokenizer.json: model.vocab is not an object");
  StringIdMap map;
  map.reserve(vocab.size());
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX) {
      throw TokenizerError("tokenizer.json: model.vocab[" + token + "] is not a valid id");
    }
    map[token] = static_cast<int32_t>(id.get<int64_t>());
  }
  BpeOptions o;
  o.unk_token = jf::get_optional_string(j, "unk_token", "model");
  o.continuing_subword_prefix = jf::get_optional_string(j, "continuing_subword_prefix", "model");
  o.end_of_word_suffix = jf::get_optional_string(j, "end_of_word_suffix", "model");
  o.fuse_unk = jf::get<bool>(j, "fuse_unk", false, "model");
  o.byte_fallback = jf::get<bool>(j, "byte_fallback", false, "model");
  o.ignore_merges = jf::get<bool>(j, "ignore_merges", false, "model");
  const json merges = jf::get<json>(j, "merges", json::array(), "model");
  return std::make_unique<BpeModel>(std::move(map), parse_merges(merges, "tokenizer.json: model"),
                                    std::move(o));
}

}  // namespace finsent::text
