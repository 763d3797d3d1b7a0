// Decoders as tokenizers/src/decoders/*.rs: each rewrites the list of token strings.
#include "decoders.hpp"

#include "../utf8_decode.hpp"
#include "json_fields.hpp"
#include "normalizers.hpp"
#include "pattern.hpp"
#include "registry.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

class WordPieceDecoder final : public Decoder {
 public:
  explicit WordPieceDecoder(const json& j)
      : prefix_(jf::get<std::string>(j, "prefix", "##", "decoder")),
        cleanup_(jf::get<bool>(j, "cleanup", true, "decoder")) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string& t = tokens[i];
      if (i != 0) {
        if (t.compare(0, prefix_.size(), prefix_) == 0) {
          t.erase(0, prefix_.size());
        } else {
          std::string spaced(1, ' ');
          spaced += t;
          t.swap(spaced);
        }
      }
      if (cleanup_) wordpiece_cleanup(t);
    }
  }

 private:
  std::string prefix_;
  bool cleanup_;
};

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

class BpeDecoder final : public Decoder {
 public:
  explicit BpeDecoder(const json& j)
      : suffix_(jf::get<std::string>(j, "suffix", "</w>", "decoder")) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      replace_all(tokens[i], suffix_, i + 1 == tokens.size() ? "" : " ");
    }
  }

 private:
  std::string suffix_;
};

class ReplaceDecoder final : public Decoder {
 public:
  explicit ReplaceDecoder(const json& j)
      : pattern_(make_pattern(jf::require<json>(j, "pattern", "decoder"), "decoder")),
        content_(jf::require<std::string>(j, "content", "decoder")) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      std::string out;
      for (const PatternMatch& m : pattern_->find_matches(t)) {
        if (m.is_match)
          out += content_;
        else
          out.append(t, m.begin, m.end - m.begin);
      }
      t = std::move(out);
    }
  }

 private:
  std::unique_ptr<Pattern> pattern_;
  std::string content_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    const size_t n = decode_utf8(s, i, c);
    if (c == kReplacementChar && s.substr(i, n) != "\xEF\xBF\xBD") return false;
    i += n;
  }
  return true;
}

class ByteFallbackDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string bytes;
    const auto flush = [&] {
      if (bytes.empty()) return;
      if (is_valid_utf8(bytes))
        out.push_back(bytes);
      else
        out.insert(out.end(), bytes.size(), "\xEF\xBF\xBD");
      bytes.clear();
    };
    for (std::string& t : tokens) {
      // u8::from_str_radix accepts a leading '+', as "<0x+A>".
      if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>') {
        const int hi = t[3] == '+' ? 0 : hex_digit(t[3]), lo = hex_digit(t[4]);
        if (hi >= 0 && lo >= 0) {
          bytes.push_back(static_cast<char>(hi * 16 + lo));
          continue;
        }
      }
      flush();
      out.push_back(std::move(t));
    }
    flush();
    tokens = std::move(out);
  }
};

class FuseDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    tokens.assign(1, std::move(all));
  }
};

class StripDecoder final : public Decoder {
 public:
  explicit StripDecoder(const json& j)
      : start_(jf::get<size_t>(j, "start", 0, "decoder")),
        stop_(jf::get<size_t>(j, "stop", 0, "decoder")) {
    const std::vector<char32_t> c = utf8_chars(jf::require<std::string>(j, "content", "decoder"));
    if (c.size() != 1) throw TokenizerError("tokenizer.json: decoder.content is not one character");
    content_ = c[0];
  }
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      const std::vector<char32_t> cs = utf8_chars(t);
      size_t begin = 0, end = cs.size();
      while (begin < start_ && begin < cs.size() && cs[begin] == content_) ++begin;
      for (size_t i = 0; i < stop_ && end > 0 && cs[end - 1] == content_; ++i) --end;
      std::string out;
      for (size_t i = begin; i < std::max(begin, end); ++i) append_utf8(out, cs[i]);
      t = std::move(out);
    }
  }

 private:
  size_t start_, stop_;
  char32_t content_;
};

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(const json& j) {
    const json list = jf::require<json>(j, "decoders", "decoder");
    if (!list.is_array()) throw TokenizerError("tokenizer.json: decoder.decoders is not a list");
    for (const json& d : list) stages_.push_back(make_decoder(d));
  }
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (const auto& d : stages_) d->decode_chain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> stages_;
};

}  // namespace

void wordpiece_cleanup(std::string& s) {
  static const std::pair<std::string_view, std::string_view> kRules[] = {
      {" .", "."},   {" ?", "?"},     {" !", "!"},    {" ,", ","},
      {" ' ", "'"},  {" n't", "n't"}, {" 'm", "'m"},  {" do not", " don't"},
      {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) replace_all(s, from, to);
}

std::unique_ptr<Decoder> make_wordpiece_decoder(const json& j) {
  return std::make_unique<WordPieceDecoder>(j);
}
std::unique_ptr<Decoder> make_bpe_decoder(const json& j) {
  return std::make_unique<BpeDecoder>(j);
}
std::unique_ptr<Decoder> make_replace_decoder(const json& j) {
  return std::make_unique<ReplaceDecoder>(j);
}
std::unique_ptr<Decoder> make_byte_fallback_decoder(const json&) {
  return std::make_unique<ByteFallbackDecoder>();
}
std::unique_ptr<Decoder> make_fuse_decoder(const json&) {
  return std::make_unique<FuseDecoder>();
}
std::unique_ptr<Decoder> make_strip_decoder(const json& j) {
  return std::make_unique<StripDecoder>(j);
}
std::unique_ptr<Decoder> make_decoder_sequence(const json& j) {
  return std::make_unique<SequenceDecoder>(j);
}

}  // namespace finsent::text
