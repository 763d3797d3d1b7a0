// WordPieceTokenizer: post-processing (specials, truncation, padding) and decoding.
#include "finsent/text/wordpiece_tokenizer.hpp"

#include <limits>

#include "finsent/core/error.hpp"
#include "post_process.hpp"
#include "wordpiece_tokenizer_impl.hpp"

namespace finsent::text {
namespace {

Encoding encode_impl(const WordPieceTokenizerImpl& impl, std::string_view a,
                     const std::string_view* b, const EncodeOptions& options) {
  check_options(options);
  thread_local std::vector<RawToken> raw_a, raw_b;
  raw_a.clear();
  raw_b.clear();
  impl.tokenize(a, raw_a);
  if (b) impl.tokenize(*b, raw_b);
  const bool specials = options.add_special_tokens;
  const size_t added = specials ? (b ? 3 : 2) : 0;
  // Like the reference, a max_length that cannot even hold the special tokens truncates nothing.
  if (options.max_length && *options.max_length >= added) {
    truncate(raw_a, b ? &raw_b : nullptr, *options.max_length - added, options.truncation,
             options.truncation_side);
  }
  Encoding e;
  const size_t n = raw_a.size() + raw_b.size() + added;
  e.ids.reserve(n);
  e.type_ids.reserve(n);
  e.attention_mask.reserve(n);
  e.special_tokens_mask.reserve(n);
  e.tokens.reserve(n);
  e.offsets.reserve(n);
  const auto add_raw = [&](const std::vector<RawToken>& raw, int64_t type) {
    for (const auto& t : raw) {
      append_token(e, t.id, *impl.token_of(t.id), type, t.begin, t.end, false);
    }
  };
  const auto add_special = [&](int32_t id, int64_t type) {
    append_token(e, id, *impl.token_of(id), type, 0, 0, true);
  };
  if (specials) add_special(impl.cls_id, 0);
  add_raw(raw_a, 0);
  if (specials) add_special(impl.sep_id, 0);
  if (b) {
    add_raw(raw_b, 1);
    if (specials) add_special(impl.sep_id, 1);
  }
  pad(e, padded_length(options, e.size(), e.size()), impl.pad_id, *impl.token_of(impl.pad_id),
      options.padding_side);
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
const SpecialTokenIds& WordPieceTokenizer::special_ids() const {
  return impl_->special_ids;
}
std::optional<size_t> WordPieceTokenizer::model_max_length() const {
  return impl_->model_max_length;
}
const NormalizerOptions& WordPieceTokenizer::normalizer_options() const {
  return impl_->normalizer.options();
}

}  // namespace finsent::text
