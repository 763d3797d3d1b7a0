// Unigram Viterbi segmentation (tokenizers' encode_optimized) over a flat byte trie.
#include "unigram_model.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

constexpr double kUnkPenalty = 10.0;  // tokenizers' K_UNK_PENALTY

size_t utf8_sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

struct Lattice {
  std::vector<double> score;
  std::vector<int32_t> start;  // -1: no path ends here yet
  std::vector<int32_t> id;
  void reset(size_t n) {
    score.assign(n + 1, 0.0);
    start.assign(n + 1, -1);
    id.assign(n + 1, 0);
  }
  void relax(size_t at, size_t from, double candidate, int32_t piece) {
    if (start[at] < 0 || candidate > score[at]) {
      score[at] = candidate;
      start[at] = static_cast<int32_t>(from);
      id[at] = piece;
    }
  }
};

}  // namespace

UnigramModel::UnigramModel(std::vector<std::pair<std::string, double>> vocab, Options options)
    : vocab_(std::move(vocab)), options_(options) {
  if (options_.unk_id) {
    if (vocab_.empty()) throw TokenizerError("Unigram: the vocabulary is empty");
    if (*options_.unk_id < 0 || static_cast<size_t>(*options_.unk_id) >= vocab_.size()) {
      throw TokenizerError("Unigram: unk_id " + std::to_string(*options_.unk_id) +
                           " is outside the vocabulary of " + std::to_string(vocab_.size()));
    }
  }
  if (vocab_.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw TokenizerError("Unigram: the vocabulary is too large");
  }
  double min_score = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < vocab_.size(); ++i) {
    ids_[vocab_[i].first] = static_cast<int32_t>(i);
    min_score = std::min(min_score, vocab_[i].second);
  }
  unk_score_ = min_score - kUnkPenalty;
  char name[8];
  for (int b = 0; b < 256; ++b) {
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    const auto it = ids_.find(name);
    byte_ids_[b] = it == ids_.end() ? -1 : it->second;
  }
  build_trie();
}

void UnigramModel::build_trie() {
  // Pieces sorted bytewise, then nodes laid out breadth-first with contiguous sorted edges.
  std::vector<std::string_view> keys;
  keys.reserve(ids_.size());
  for (const auto& [piece, id] : ids_) {
    if (!piece.empty()) keys.push_back(piece);
  }
  std::sort(keys.begin(), keys.end());
  nodes_.assign(1, Node{});
  edges_.clear();
  // Each node is (range of keys sharing the prefix, depth); expand level by level.
  struct Pending {
    size_t lo, hi, depth;
    uint32_t node;
  };
  std::vector<Pending> queue{{0, keys.size(), 0, 0}};
  for (size_t q = 0; q < queue.size(); ++q) {
    const Pending p = queue[q];
    size_t i = p.lo;
    if (i < p.hi && keys[i].size() == p.depth) nodes_[p.node].id = ids_.at(keys[i++]);
    nodes_[p.node].first_edge = static_cast<uint32_t>(edges_.size());
    while (i < p.hi) {
      const auto label = static_cast<uint8_t>(keys[i][p.depth]);
      size_t j = i;
      while (j < p.hi && static_cast<uint8_t>(keys[j][p.depth]) == label) ++j;
      const auto target = static_cast<uint32_t>(nodes_.size());
      nodes_.push_back(Node{});
      edges_.push_back(Edge{label, target});
      queue.push_back(Pending{i, j, p.depth + 1, target});
      i = j;
    }
    nodes_[p.node].edge_count = static_cast<uint32_t>(edges_.size()) - nodes_[p.node].first_edge;
  }
  for (uint32_t e = 0; e < nodes_[0].edge_count; ++e) {
    root_children_[edges_[e].label] = edges_[e].target;
  }
}

uint32_t UnigramModel::child(uint32_t node, uint8_t label) const {
  const Node& n = nodes_[node];
  const Edge* first = edges_.data() + n.first_edge;
  const Edge* last = first + n.edge_count;
  if (n.edge_count <= 8) {
    for (const Edge* e = first; e != last; ++e) {
      if (e->label == label) return e->target;
    }
    return 0;
  }
  const Edge* e =
      std::lower_bound(first, last, label, [](const Edge& a, uint8_t l) { return a.label < l; });
  return e != last && e->label == label ? e->target : 0;
}

std::optional<int32_t> UnigramModel::token_to_id(std::string_view token) const {
  const auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void UnigramModel::emit(std::string_view word, int32_t id, uint32_t begin, uint32_t end,
                        std::vector<UnigramToken>& out) const {
  if (id >= 0) {
    out.push_back(UnigramToken{id, begin, end, false});
    return;
  }
  const std::string_view text = word.substr(begin, end - begin);
  if (const auto known = token_to_id(text)) {
    out.push_back(UnigramToken{*known, begin, end, false});
    return;
  }
  if (options_.byte_fallback && std::all_of(text.begin(), text.end(), [&](char c) {
        return byte_ids_[static_cast<unsigned char>(c)] >= 0;
      })) {
    for (const char c : text) {
      out.push_back(UnigramToken{byte_ids_[static_cast<unsigned char>(c)], begin, end, true});
    }
    return;
  }
  if (!options_.unk_id) {
    throw TokenizerError("Unigram: an unknown token was found but the model has no unk_id");
  }
  out.push_back(UnigramToken{*options_.unk_id, begin, end, false});
}

void UnigramModel::tokenize(std::string_view word, std::vector<UnigramToken>& out) const {
  out.clear();
  const size_t size = word.size();
  if (size == 0) return;
  if (size > std::numeric_limits<int32_t>::max()) throw TokenizerError("Unigram: word too long");
  thread_local Lattice lattice;
  lattice.reset(size);
  for (size_t at = 0; at < size;) {
    const double here = lattice.score[at];
    const size_t mblen =
        std::min(utf8_sequence_length(static_cast<unsigned char>(word[at])), size - at);
    bool has_single_node = false;
    uint32_t node = root_children_[static_cast<unsigned char>(word[at])];
    for (size_t k = at + 1; node != 0; ++k) {
      const int32_t id = nodes_[node].id;
      if (id >= 0) {
        lattice.relax(k, at, here + vocab_[static_cast<size_t>(id)].second, id);
        has_single_node |= k - at == mblen;
      }
      if (k >= size) break;
      node = child(node, static_cast<uint8_t>(word[k]));
    }
    if (!has_single_node) {
      if (!options_.unk_id) {
        throw TokenizerError("Unigram: an unknown character was found but the model has no unk_id");
      }
      lattice.relax(at + mblen, at, here + unk_score_, *options_.unk_id);
    }
    at += mblen;
  }
  // Backtrack; unknown nodes (the unk id, also a literal unk piece) fuse when fuse_unk.
  std::vector<std::pair<uint32_t, int32_t>> path;  // (start, id) from the end
  size_t end = size;
  while (end > 0) {
    const auto start = static_cast<uint32_t>(lattice.start[end]);
    path.emplace_back(start, lattice.id[end]);
    end = start;
  }
  std::reverse(path.begin(), path.end());
  for (size_t i = 0; i < path.size();) {
    const uint32_t begin = path[i].first;
    size_t j = i + 1;
    const int32_t unk = options_.unk_id.value_or(-1);
    if (path[i].second == unk && options_.fuse_unk) {
      while (j < path.size() && path[j].second == unk) ++j;
    }
    const uint32_t stop = j < path.size() ? path[j].first : static_cast<uint32_t>(size);
    emit(word, path[i].second == unk ? -1 : path[i].second, begin, stop, out);
    i = j;
  }
}

}  // namespace finsent::text
