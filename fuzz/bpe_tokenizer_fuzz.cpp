// libFuzzer target: byte-level BPE pipelines (RoBERTa, GPT-2, ModernBERT layouts) on arbitrary
// bytes, singles and pairs, with random truncation and padding: ids in range, tokens equal
// id_to_token, offsets inside their text, masks consistent, decode and count_tokens run.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "finsent/core/error.hpp"
#include "finsent/text/tokenizer.hpp"

namespace {

using finsent::text::Encoding;
using finsent::text::Tokenizer;

const Tokenizer& tokenizer(int variant) {
  static std::shared_ptr<const Tokenizer> tokenizers[3];
  static const char* names[3] = {"roberta", "gpt2", "modernbert"};
  if (!tokenizers[variant]) {
    tokenizers[variant] =
        finsent::text::load_tokenizer(std::string(FINSENT_BPE_FIXTURES) + "/" + names[variant]);
  }
  return *tokenizers[variant];
}

void check(const Tokenizer& t, const Encoding& e, std::string_view a, std::string_view b) {
  const size_t n = e.ids.size();
  if (e.tokens.size() != n || e.offsets.size() != n || e.type_ids.size() != n ||
      e.attention_mask.size() != n || e.special_tokens_mask.size() != n) {
    std::abort();
  }
  for (size_t i = 0; i < n; ++i) {
    if (e.ids[i] < 0 || static_cast<size_t>(e.ids[i]) >= t.vocab_size()) std::abort();
    // An added token with lstrip/rstrip carries the whitespace it absorbed (" <mask>"), as HF
    // tokenizers' Encoding.tokens does; every other token is its vocabulary string.
    const std::string& vocab_token = t.id_to_token(e.ids[i]);
    if (e.tokens[i] != vocab_token && e.tokens[i].find(vocab_token) == std::string::npos)
      std::abort();
    const auto [begin, end] = e.offsets[i];
    const size_t limit = std::max(a.size(), b.size());
    if (begin > end || end > limit) std::abort();
    if (e.attention_mask[i] == 0 && e.special_tokens_mask[i] != 1) std::abort();
  }
  (void)t.decode(e.ids);
  (void)t.decode(e.ids, false);
  for (const Encoding& window : e.overflowing) check(t, window, a, b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const Tokenizer& t = tokenizer(data[0] % 3);
  finsent::text::EncodeOptions options;
  options.add_special_tokens = (data[0] & 4) == 0;
  if (data[1] != 0) options.max_length = data[1] % 64;
  options.truncation = static_cast<finsent::text::Truncation>((data[0] >> 3) & 3);
  options.truncation_side = (data[0] & 32) ? finsent::text::Side::Left : finsent::text::Side::Right;
  if ((data[0] & 64) && options.max_length && t.special_ids().pad) {
    options.padding = finsent::text::Padding::MaxLength;
  }
  const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  // Overflowing windows with a stride of 0..3; a pair whose both texts overflow gives windows
  // quadratic in their counts (as the reference), so only short inputs ask for them.
  options.stride = (data[1] >> 6) & 3;
  options.return_overflowing = (data[0] & 128) && rest.size() < 256;
  const size_t split = rest.find('\x01');
  try {
    if (split == std::string_view::npos) {
      check(t, t.encode(rest, options), rest, {});
      finsent::text::EncodeOptions whole;  // no truncation or padding
      whole.add_special_tokens = options.add_special_tokens;
      if (t.count_tokens(rest) +
              (whole.add_special_tokens ? t.num_special_tokens_to_add(false) : 0) !=
          t.encode(rest, whole).ids.size()) {
        std::abort();
      }
    } else {
      const auto a = rest.substr(0, split), b = rest.substr(split + 1);
      check(t, t.encode_pair(a, b, options), a, b);
    }
  } catch (const finsent::InputError&) {
    // OnlyFirst / OnlySecond that cannot be met: the reference refuses them too.
  }
  return 0;
}
