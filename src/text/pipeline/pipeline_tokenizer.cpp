// PipelineTokenizer: encode = extract added tokens + normalize, pre-tokenize, model, then
// truncate, post-process and pad (tokenizers' TokenizerImpl::encode_single_sequence and
// post_process); decode through the decoder.
#include "pipeline_tokenizer.hpp"

#include <fstream>
#include <limits>

#include "finsent/core/error.hpp"

namespace finsent::text {

PipelineTokenizer::PipelineTokenizer(Pipeline pipeline) : p_(std::move(pipeline)) {
  if (!p_.model) throw TokenizerError("tokenizer.json has no model");
  vocab_size_ = std::max(p_.model->vocab_size(), static_cast<size_t>(p_.added.max_id() + 1));
}

namespace {

// Token strings of the text being encoded that differ from the vocabulary's (RawToken::value).
thread_local std::vector<std::string> t_values;

}  // namespace

const std::string* PipelineTokenizer::value_of(const RawToken& token) const {
  if (token.value >= 0 && static_cast<size_t>(token.value) < t_values.size()) {
    return &t_values[static_cast<size_t>(token.value)];
  }
  return token_of(token.id);
}

const std::string* PipelineTokenizer::token_of(int32_t id) const {
  if (const auto* t = p_.added.by_id(id)) return &t->content;
  return p_.model->id_to_token(id);
}

void PipelineTokenizer::tokenize(std::string_view text, std::vector<RawToken>& out) const {
  if (text.size() >= std::numeric_limits<uint32_t>::max()) {
    throw InputError("a text of 4 GiB or more cannot be tokenized");
  }
  PreTokenizedString pts = p_.added.extract_and_normalize(text, p_.normalizer.get());
  if (p_.pre_tokenizer) p_.pre_tokenizer->pre_tokenize(pts);
  thread_local std::vector<Token> tokens;
  for (Split& s : pts.splits()) {
    const bool from_added = s.tokens.has_value();
    if (!from_added) {  // the model's tokens stay in the thread's buffer (no copy per split)
      tokens.clear();
      p_.model->tokenize(s.normalized.get(), tokens);
    }
    const size_t shift = s.normalized.original_shift();
    for (const Token& t : from_added ? *s.tokens : tokens) {
      const auto range = s.normalized.original_range(t.begin, t.end);
      const size_t b = range ? range->first + shift : shift,
                   e = range ? range->second + shift : shift;
      RawToken raw{t.id, static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
      if (from_added || t.literal) {
        const std::string_view value =
            from_added ? std::string_view(s.normalized.get())
                       : std::string_view(s.normalized.get()).substr(t.begin, t.end - t.begin);
        const std::string* vocab = token_of(t.id);
        if (vocab == nullptr || *vocab != value) {
          raw.value = static_cast<int32_t>(t_values.size());
          t_values.emplace_back(value);
        }
      }
      out.push_back(raw);
    }
  }
}

size_t PipelineTokenizer::num_special_tokens_to_add(bool pair) const {
  return p_.post_processor ? p_.post_processor->added_tokens(pair) : 0;
}

size_t PipelineTokenizer::count_tokens(std::string_view text) const {
  thread_local std::vector<RawToken> raw;
  raw.clear();
  t_values.clear();
  tokenize(text, raw);
  return raw.size();
}

Encoding PipelineTokenizer::encode_impl(std::string_view a, const std::string_view* b,
                                        const EncodeOptions& options) const {
  check_options(options);
  thread_local std::vector<RawToken> raw_a, raw_b;
  raw_a.clear();
  raw_b.clear();
  t_values.clear();
  tokenize(a, raw_a);
  if (b) tokenize(*b, raw_b);
  PostProcessing processing;
  const bool pair = b != nullptr;
  if (!p_.post_processor || !p_.post_processor->layout(pair, processing.layout)) {
    processing.layout = {{LayoutPiece::SequenceA, 0, 0}};
    if (pair) processing.layout.push_back({LayoutPiece::SequenceB, 0, 1});
  }
  if (p_.post_processor) {
    processing.added = p_.post_processor->added_tokens(pair);
    processing.overflow_type_ids_from_layout = p_.post_processor->overflow_type_ids_from_layout();
    processing.process_offsets = [this](std::vector<RawToken>& tokens) {
      p_.post_processor->process_offsets(tokens, *this);
    };
  }
  return post_process(raw_a, pair ? &raw_b : nullptr, options, processing, *this,
                      padding_token(options));
}

Encoding PipelineTokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  return encode_impl(text, nullptr, options);
}

Encoding PipelineTokenizer::encode_pair(std::string_view a, std::string_view b,
                                        const EncodeOptions& options) const {
  return encode_impl(a, &b, options);
}

std::string PipelineTokenizer::decode(const std::vector<int64_t>& ids,
                                      bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int64_t id64 : ids) {
    if (id64 < 0 || id64 > std::numeric_limits<int32_t>::max()) continue;
    const auto id = static_cast<int32_t>(id64);
    const AddedTokenSpec* added = p_.added.by_id(id);
    if (added && skip_special_tokens && added->special) continue;
    const std::string* s = added ? &added->content : p_.model->id_to_token(id);
    if (s) tokens.push_back(*s);
  }
  if (!p_.decoder) {
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) out.push_back(' ');
      out += tokens[i];
    }
    return out;
  }
  p_.decoder->decode_chain(tokens);
  std::string out;
  for (const auto& t : tokens) out += t;
  return out;
}

std::optional<int64_t> PipelineTokenizer::token_to_id(std::string_view token) const {
  if (const auto* t = p_.added.by_content(token)) return t->id;
  if (auto id = p_.model->token_to_id(token)) return *id;
  return std::nullopt;
}

const std::string& PipelineTokenizer::id_to_token(int64_t id) const {
  const std::string* s = id < 0 || id > std::numeric_limits<int32_t>::max()
                             ? nullptr
                             : token_of(static_cast<int32_t>(id));
  if (s == nullptr)
    throw InputError("token id " + std::to_string(id) + " is not in the vocabulary");
  return *s;
}

std::vector<std::pair<std::string, std::string>> PipelineTokenizer::files() const {
  return {{"tokenizer.json", p_.tokenizer_json.dump(2) + "\n"},
          {"tokenizer_config.json", p_.tokenizer_config.dump(2) + "\n"}};
}

}  // namespace finsent::text
