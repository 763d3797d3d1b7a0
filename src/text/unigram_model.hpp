// The Unigram model (SentencePiece's, as Hugging Face tokenizers runs it): the Viterbi best path
// over scored pieces, with unk_id, byte_fallback and fuse_unk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace finsent::text {

// One model token: vocabulary id and its byte range [begin, end) in the word it came from.
struct UnigramToken {
  int32_t id;
  uint32_t begin, end;
  // True for a byte-fallback token (its string is the vocabulary's "<0xXX>", its range the whole
  // unknown run); otherwise the token's string is word[begin, end), as the reference reports it
  // (an unknown run keeps its own text, not the unk piece's).
  bool byte = false;
};

// Mirrors tokenizers::models::unigram::Unigram (encode_optimized + tokenize).
class UnigramModel {
 public:
  struct Options {
    std::optional<int32_t> unk_id;
    bool byte_fallback = false;
    bool fuse_unk = true;  // the reference fuses consecutive unknown characters
  };
  // `vocab` is (piece, score) by id. A piece listed twice maps to its last id, as in the reference.
  // Throws TokenizerError when unk_id is set and out of range or the vocabulary is empty.
  UnigramModel(std::vector<std::pair<std::string, double>> vocab, Options options);

  // Tokenizes one pre-tokenized word (valid UTF-8) into `out` (cleared first). A character no
  // piece covers scores min_score - 10 and becomes unk (consecutive ones fused when fuse_unk);
  // with byte_fallback an unknown run whose bytes all have "<0xXX>" pieces becomes those pieces.
  // Throws TokenizerError when a character is unknown and there is no unk_id.
  void tokenize(std::string_view word, std::vector<UnigramToken>& out) const;

  std::optional<int32_t> token_to_id(std::string_view token) const;
  const std::string& id_to_token(int32_t id) const { return vocab_[static_cast<size_t>(id)].first; }
  size_t vocab_size() const { return vocab_.size(); }
  const std::vector<std::pair<std::string, double>>& vocab() const { return vocab_; }
  const Options& options() const { return options_; }

 private:
  struct Edge {
    uint8_t label;
    uint32_t target;
  };
  struct Node {
    uint32_t first_edge = 0, edge_count = 0;
    int32_t id = -1;  // piece ending here, or -1
  };
  void build_trie();
  uint32_t child(uint32_t node, uint8_t label) const;
  void emit(std::string_view word, int32_t id, uint32_t begin, uint32_t end,
            std::vector<UnigramToken>& out) const;

  std::vector<std::pair<std::string, double>> vocab_;
  Options options_;
  std::unordered_map<std::string_view, int32_t> ids_;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  uint32_t root_children_[256] = {};  // child of the root per first byte, 0 = none
  double unk_score_ = 0;
  int32_t byte_ids_[256];  // "<0xXX>" piece ids, -1 when absent
};

}  // namespace finsent::text
