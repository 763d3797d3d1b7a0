// WordPieceTokenizer: post-processing (specials, truncation, padding), batching and decoding.
#include "finsent/text/wordpiece_tokenizer.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <thread>

#include "finsent/core/error.hpp"
#include "finsent/core/threads.hpp"
#include "wordpiece_tokenizer_impl.hpp"

namespace finsent::text {
namespace {

// TruncationStrategy::LongestFirst of tokenizers' truncate_encodings, with max_length already
// reduced by the special tokens: when both must shrink, the shorter keeps floor(max/2) (the first
// text on a tie) and the other gets the rest.
void truncate_longest_first(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max) {
  if (b == nullptr) {
    if (a.size() > max) a.resize(max);
    return;
  }
  const size_t n1 = a.size(), n2 = b->size();
  if (n1 + n2 <= max) return;
  const bool swap = n1 > n2;
  const size_t shorter = swap ? n2 : n1;
  size_t keep_short = shorter, keep_long = max - shorter;
  if (shorter > max / 2) {
    keep_short = max / 2;
    keep_long = max - max / 2;
  }
  a.resize(std::min(n1, swap ? keep_long : keep_short));
  b->resize(std::min(n2, swap ? keep_short : keep_long));
}

void append(Encoding& e, int64_t id, std::string token, int64_t type, size_t begin, size_t end) {
  e.ids.push_back(id);
  e.type_ids.push_back(type);
  e.attention_mask.push_back(1);
  e.tokens.push_back(std::move(token));
  e.offsets.emplace_back(begin, end);
}

void pad_to(Encoding& e, size_t length, int64_t pad_id, const std::string& pad_token) {
  while (e.ids.size() < length) {
    e.ids.push_back(pad_id);
    e.type_ids.push_back(0);
    e.attention_mask.push_back(0);
    e.tokens.push_back(pad_token);
    e.offsets.emplace_back(0, 0);
  }
}

Encoding encode_impl(const WordPieceTokenizerImpl& impl, std::string_view a,
                     const std::string_view* b, const EncodeOptions& options) {
  if (options.padding == Padding::MaxLength && !options.max_length) {
    throw InputError("padding to max_length needs a max_length");
  }
  thread_local std::vector<RawToken> raw_a, raw_b;
  raw_a.clear();
  raw_b.clear();
  impl.tokenize(a, raw_a);
  if (b) impl.tokenize(*b, raw_b);
  const bool specials = options.add_special_tokens;
  if (options.max_length && options.truncation == Truncation::LongestFirst) {
    const size_t added = specials ? (b ? 3 : 2) : 0;
    // Like the reference, a max_length that cannot even hold the special tokens truncates nothing.
    if (*options.max_length >= added) {
      truncate_longest_first(raw_a, b ? &raw_b : nullptr, *options.max_length - added);
    }
  }
  Encoding e;
  const size_t n = raw_a.size() + raw_b.size() + (specials ? (b ? 3 : 2) : 0);
  e.ids.reserve(n);
  e.type_ids.reserve(n);
  e.attention_mask.reserve(n);
  e.tokens.reserve(n);
  e.offsets.reserve(n);
  const auto add_raw = [&](const std::vector<RawToken>& raw, int64_t type) {
    for (const auto& t : raw) append(e, t.id, *impl.token_of(t.id), type, t.begin, t.end);
  };
  const auto add_special = [&](int32_t id, int64_t type) {
    append(e, id, *impl.token_of(id), type, 0, 0);
  };
  if (specials) add_special(impl.cls_id, 0);
  add_raw(raw_a, 0);
  if (specials) add_special(impl.sep_id, 0);
  if (b) {
    add_raw(raw_b, 1);
    if (specials) add_special(impl.sep_id, 1);
  }
  if (options.padding == Padding::MaxLength) {
    pad_to(e, *options.max_length, impl.pad_id, *impl.token_of(impl.pad_id));
  }
  return e;
}

// The WordPiece decoder's per-token cleanup (tokenizers::decoders::wordpiece::cleanup).
void cleanup(std::string& s) {
  static const std::pair<std::string_view, std::string_view> kRules[] = {
      {" .", "."},   {" ?", "?"},     {" !", "!"},    {" ,", ","},
      {" ' ", "'"},  {" n't", "n't"}, {" 'm", "'m"},  {" do not", " don't"},
      {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) {
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
      s.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(std::shared_ptr<const WordPieceTokenizerImpl> impl)
    : impl_(std::move(impl)) {}

Encoding WordPieceTokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  return encode_impl(*impl_, text, nullptr, options);
}

Encoding WordPieceTokenizer::encode_pair(std::string_view a, std::string_view b,
                                         const EncodeOptions& options) const {
  return encode_impl(*impl_, a, &b, options);
}

std::vector<Encoding> WordPieceTokenizer::encode_batch(const std::vector<std::string>& texts,
                                                       const EncodeOptions& options) const {
  std::vector<Encoding> out(texts.size());
  EncodeOptions each = options;
  if (each.padding == Padding::Longest) each.padding = Padding::None;
  const size_t workers =
      std::min(texts.size(), static_cast<size_t>(std::max(1, finsent::num_threads())));
  if (workers <= 1) {
    for (size_t i = 0; i < texts.size(); ++i) out[i] = encode(texts[i], each);
  } else {
    std::atomic<size_t> next{0};
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    const auto work = [&] {
      constexpr size_t kChunk = 64;
      while (!failed) {
        const size_t start = next.fetch_add(kChunk);
        if (start >= texts.size()) break;
        try {
          for (size_t i = start; i < std::min(texts.size(), start + kChunk); ++i) {
            out[i] = encode(texts[i], each);
          }
        } catch (...) {
          if (!failed.exchange(true)) error = std::current_exception();
        }
      }
    };
    std::vector<std::thread> threads;
    for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
  }
  if (options.padding == Padding::Longest) {
    size_t longest = 0;
    for (const auto& e : out) longest = std::max(longest, e.ids.size());
    for (auto& e : out) pad_to(e, longest, impl_->pad_id, *impl_->token_of(impl_->pad_id));
  }
  return out;
}

size_t WordPieceTokenizer::count_tokens(std::string_view text) const {
  thread_local std::vector<RawToken> raw;
  raw.clear();
  impl_->tokenize(text, raw);
  return raw.size();
}

std::string WordPieceTokenizer::decode(const std::vector<int64_t>& ids,
                                       bool skip_special_tokens) const {
  std::string out;
  bool first = true;
  const std::string& prefix = impl_->decoder_prefix;
  for (int64_t id64 : ids) {
    if (id64 < 0 || id64 > std::numeric_limits<int32_t>::max()) continue;
    const auto id = static_cast<int32_t>(id64);
    const std::string* token = impl_->token_of(id);
    if (token == nullptr || (skip_special_tokens && impl_->is_special(id))) continue;
    std::string piece;
    if (!first && !prefix.empty() && token->compare(0, prefix.size(), prefix) == 0) {
      piece = token->substr(prefix.size());
    } else if (!first) {
      piece = " " + *token;
    } else {
      piece = *token;
    }
    if (impl_->decoder_cleanup) cleanup(piece);
    out += piece;
    first = false;
  }
  return out;
}

std::optional<int64_t> WordPieceTokenizer::token_to_id(std::string_view token) const {
  for (const auto& t : impl_->added.tokens()) {
    if (t.content == token) return t.id;
  }
  if (auto id = impl_->vocab.find(token)) return *id;
  return std::nullopt;
}

const std::string& WordPieceTokenizer::id_to_token(int64_t id) const {
  const std::string* token = id < 0 || id > std::numeric_limits<int32_t>::max()
                                 ? nullptr
                                 : impl_->token_of(static_cast<int32_t>(id));
  if (token == nullptr)
    throw InputError("token id " + std::to_string(id) + " is not in the vocabulary");
  return *token;
}

int64_t WordPieceTokenizer::pad_id() const {
  return impl_->pad_id;
}
int64_t WordPieceTokenizer::cls_id() const {
  return impl_->cls_id;
}
int64_t WordPieceTokenizer::sep_id() const {
  return impl_->sep_id;
}
int64_t WordPieceTokenizer::unk_id() const {
  return impl_->unk_id;
}
size_t WordPieceTokenizer::vocab_size() const {
  return impl_->id_limit;
}
const NormalizerOptions& WordPieceTokenizer::normalizer_options() const {
  return impl_->normalizer.options();
}

}  // namespace finsent::text
