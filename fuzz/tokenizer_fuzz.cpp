// libFuzzer target: normalize + tokenize arbitrary bytes; ids in range, offsets inside the text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "finsent/text/wordpiece_tokenizer.hpp"

namespace {

using finsent::text::WordPieceTokenizer;

// A vocabulary with every printable ASCII character, "##" pieces, words and a few non-ASCII
// characters, so that both matched pieces and [UNK] words occur.
std::vector<std::string> fuzz_vocab() {
  std::vector<std::string> v = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (char c = '!'; c <= '~'; ++c) {
    v.emplace_back(1, c);
    v.push_back("##" + std::string(1, c));
  }
  for (const char* w : {"the", "fin", "##ance", "##s", "profit", "loss", "é", "##é", "中", "ß", "i",
                        "##̇", "σ", "straße", "un", "##able", "##ing", "eur", "mn"}) {
    v.emplace_back(w);
  }
  return v;
}

const WordPieceTokenizer& tokenizer(int variant) {
  static const WordPieceTokenizer* tokenizers[4] = {};
  if (!tokenizers[variant]) {
    finsent::text::NormalizerOptions o;
    o.lowercase = (variant & 1) == 0;
    o.clean_text = (variant & 2) == 0;
    tokenizers[variant] = new WordPieceTokenizer(WordPieceTokenizer::from_vocab(fuzz_vocab(), o));
  }
  return *tokenizers[variant];
}

void check(const WordPieceTokenizer& t, const finsent::text::Encoding& e, std::string_view a,
           std::string_view b) {
  const size_t n = e.ids.size();
  if (e.tokens.size() != n || e.offsets.size() != n || e.type_ids.size() != n ||
      e.attention_mask.size() != n) {
    std::abort();
  }
  for (size_t i = 0; i < n; ++i) {
    if (e.ids[i] < 0 || static_cast<size_t>(e.ids[i]) >= t.vocab_size()) std::abort();
    if (t.id_to_token(e.ids[i]) != e.tokens[i]) std::abort();
    const auto [begin, end] = e.offsets[i];
    const size_t limit = e.type_ids[i] == 0 ? a.size() : b.size();
    if (begin > end || end > limit) std::abort();
  }
  (void)t.decode(e.ids);
  (void)t.decode(e.ids, false);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const WordPieceTokenizer& t = tokenizer(data[0] & 3);
  finsent::text::EncodeOptions options;
  options.add_special_tokens = (data[0] & 4) == 0;
  if (data[1] != 0) options.max_length = data[1] % 64;
  const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  const size_t split = rest.find('\x01');
  if (split == std::string_view::npos) {
    check(t, t.encode(rest, options), rest, {});
    if (t.count_tokens(rest) + (options.add_special_tokens ? 2 : 0) <
        t.encode(rest, finsent::text::EncodeOptions{options.add_special_tokens}).ids.size()) {
      std::abort();
    }
  } else {
    const auto a = rest.substr(0, split), b = rest.substr(split + 1);
    check(t, t.encode_pair(a, b, options), a, b);
  }
  return 0;
}
