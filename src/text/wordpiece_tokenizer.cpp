// WordPieceTokenizer: post-processing (specials, truncation, padding) and decoding.
#include "finsent/text/wordpiece_tokenizer.hpp"

#include <limits>

#include "finsent/core/error.hpp"
#include "post_process.hpp"
#include "wordpiece_tokenizer_impl.hpp"

namespace finsent::text {
namespace {

// BertProcessing: [CLS] A [SEP] and [CLS] A [SEP] B [SEP], type ids 0 then 1.
PostProcessing bert_processing(const WordPieceTokenizerImpl& impl, bool pair) {
  PostProcessing p;
  p.layout = {{LayoutPiece::Special, impl.cls_id, 0},
              {LayoutPiece::SequenceA, 0, 0},
              {LayoutPiece::Special, impl.sep_id, 0}};
  if (pair) {
    p.layout.push_back({LayoutPiece::SequenceB, 0, 1});
    p.layout.push_back({LayoutPiece::Special, impl.sep_id, 1});
  }
  p.added = pair ? 3 : 2;
  return p;
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

Encoding WordPieceTokenizer::encode_impl(std::string_view a, const std::string_view* b,
                                         const EncodeOptions& options) const {
  check_options(options);
  thread_local std::vector<RawToken> raw_a, raw_b;
  raw_a.clear();
  raw_b.clear();
  impl_->tokenize(a, raw_a);
  if (b) impl_->tokenize(*b, raw_b);
  const bool pair = b != nullptr;
  return post_process(raw_a, pair ? &raw_b : nullptr, options, bert_processing(*impl_, pair),
                      *impl_, padding_token(options));
}

Encoding WordPieceTokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  return encode_impl(text, nullptr, options);
}

Encoding WordPieceTokenizer::encode_pair(std::string_view a, std::string_view b,
                                         const EncodeOptions& options) const {
  return encode_impl(a, &b, options);
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
const EncodeSettings& WordPieceTokenizer::encode_settings() const {
  return impl_->encode_settings;
}
const NormalizerOptions& WordPieceTokenizer::normalizer_options() const {
  return impl_->normalizer.options();
}

}  // namespace finsent::text
