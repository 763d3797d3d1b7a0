// ByteLevel pre-tokenizer, post-processor and decoder, as tokenizers' byte_level.rs.
#include "byte_level.hpp"

#include <array>

#include "../bert_normalizer.hpp"
#include "../utf8_decode.hpp"
#include "json_fields.hpp"
#include "pattern.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

struct ByteTables {
  std::array<char32_t, 256> to_char{};
  std::array<std::string, 256> to_utf8{};
  ByteTables() {
    const auto printable = [](int b) {
      return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      to_char[static_cast<size_t>(b)] = printable(b) ? static_cast<char32_t>(b) : 256 + n++;
      append_utf8(to_utf8[static_cast<size_t>(b)], to_char[static_cast<size_t>(b)]);
    }
  }
};

const ByteTables& tables() {
  static const ByteTables t;
  return t;
}

// tokenizers' ByteLevel pre-tokenizer: optional prefix space, the GPT-2 split (Isolated), then
// every byte of the split mapped to its printable character.
class ByteLevelPreTokenizer final : public PreTokenizer {
 public:
  explicit ByteLevelPreTokenizer(const json& j)
      : add_prefix_space_(jf::get<bool>(j, "add_prefix_space", true, "pre_tokenizer")),
        use_regex_(jf::get<bool>(j, "use_regex", true, "pre_tokenizer")) {
    if (use_regex_) regex_ = std::make_unique<RegexPattern>(kGpt2Pattern);
  }
  void pre_tokenize(PreTokenizedString& s) const override {
    s.split([&](size_t, NormalizedString&& n) {
      if (add_prefix_space_ && (n.get().empty() || n.get()[0] != ' ')) n.prepend(" ");
      if (!use_regex_) return std::vector<NormalizedString>{std::move(n)};
      return n.split(*regex_, SplitBehavior::Isolated);
    });
    s.normalize([](NormalizedString& n) { n.replace_bytes(tables().to_utf8); });
  }

 private:
  bool add_prefix_space_, use_regex_;
  std::unique_ptr<RegexPattern> regex_;
};

class ByteLevelPostProcessor final : public PostProcessor {
 public:
  explicit ByteLevelPostProcessor(const json& j)
      : add_prefix_space_(jf::get<bool>(j, "add_prefix_space", true, "post_processor")),
        trim_offsets_(jf::get<bool>(j, "trim_offsets", true, "post_processor")) {}
  size_t added_tokens(bool) const override { return 0; }
  void process_offsets(std::vector<RawToken>& tokens, const TokenStrings& strings) const override {
    if (trim_offsets_) trim_byte_level_offsets(tokens, strings, add_prefix_space_);
  }
  bool layout(bool, std::vector<LayoutPiece>&) const override { return false; }

 private:
  bool add_prefix_space_, trim_offsets_;
};

class ByteLevelDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const std::string& t : tokens) {
      const size_t mark = bytes.size();
      bool mapped = true;
      for (size_t i = 0; i < t.size() && mapped;) {
        char32_t c;
        i += decode_utf8(t, i, c);
        const int b = char_to_byte(c);
        if (b < 0)
          mapped = false;
        else
          bytes.push_back(static_cast<char>(b));
      }
      if (!mapped) {
        bytes.resize(mark);
        bytes += t;
      }
    }
    // String::from_utf8_lossy: each maximal invalid subpart becomes U+FFFD.
    std::string text;
    text.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
      char32_t c;
      i += decode_utf8(bytes, i, c);
      append_utf8(text, c);
    }
    tokens.assign(1, std::move(text));
  }
};

bool is_space_char(char32_t c) {
  return c == tables().to_char[' '] || is_unicode_whitespace(c);
}

// The number of space characters (is_space_char) at the start and at the end of `s`; a string of
// spaces only counts all of them at both ends.
std::pair<size_t, size_t> space_chars_at_ends(std::string_view s) {
  size_t leading = 0, trailing = 0, i = 0;
  char32_t c;
  while (i < s.size()) {
    const size_t n = decode_utf8(s, i, c);
    if (!is_space_char(c)) break;
    ++leading;
    i += n;
  }
  if (i == s.size()) return {leading, leading};
  for (size_t end = s.size(); end > 0;) {
    size_t start;
    if (!is_space_char(decode_utf8_before(s, end, start))) break;
    ++trailing;
    end = start;
  }
  return {leading, trailing};
}

}  // namespace

char32_t byte_to_char(uint8_t b) {
  return tables().to_char[b];
}

int char_to_byte(char32_t c) {
  if (c < 256 && tables().to_char[c] == c) return static_cast<int>(c);
  if (c >= 256 && c < 256 + 68) {
    for (int b = 0; b < 256; ++b) {
      if (tables().to_char[static_cast<size_t>(b)] == c) return b;
    }
  }
  return -1;
}

void trim_byte_level_offsets(std::vector<RawToken>& tokens, const TokenStrings& strings,
                             bool add_prefix_space) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    RawToken& t = tokens[i];
    const std::string* s = strings.value_of(t);
    if (s == nullptr) continue;
    auto [leading, trailing] = space_chars_at_ends(*s);
    if (leading > 0) {
      const bool is_first = i == 0 || t.begin == 0;
      if (is_first && add_prefix_space && leading == 1) leading = 0;
      t.begin = std::min<uint32_t>(t.begin + static_cast<uint32_t>(leading), t.end);
    }
    if (trailing > 0 && t.end >= trailing) {
      t.end = std::max<uint32_t>(t.end - static_cast<uint32_t>(trailing), t.begin);
    }
  }
}

std::unique_ptr<PreTokenizer> make_byte_level_pre_tokenizer(const json& j) {
  return std::make_unique<ByteLevelPreTokenizer>(j);
}
std::unique_ptr<PostProcessor> make_byte_level_post_processor(const json& j) {
  return std::make_unique<ByteLevelPostProcessor>(j);
}
std::unique_ptr<Decoder> make_byte_level_decoder(const json&) {
  return std::make_unique<ByteLevelDecoder>();
}

}  // namespace finsent::text
