// text::Tokenizer's shared behaviour: batch encoding on threads, token counts, the pad id.
#include "finsent/text/tokenizer.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <thread>

#include "finsent/core/error.hpp"
#include "finsent/core/threads.hpp"
#include "post_process.hpp"

namespace finsent::text {

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                              const EncodeOptions& options) const {
  check_options(options);
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
    for (const auto& e : out) longest = std::max(longest, e.size());
    const auto token = padding_token(options);
    for (auto& e : out) {
      pad(e, padded_length(options, e.size(), longest), token, options.pad_type_id,
          options.padding_side);
    }
  }
  return out;
}

std::pair<int64_t, std::string> Tokenizer::padding_token(const EncodeOptions& options) const {
  if (options.padding == Padding::None) return {0, std::string()};
  if (options.pad_token) return *options.pad_token;
  const int64_t id = pad_id();
  return {id, id_to_token(id)};
}

EncodeOptions Tokenizer::default_options() const {
  const EncodeSettings& s = encode_settings();
  EncodeOptions o;
  o.truncation_side = s.truncation_side;
  o.padding_side = s.padding_side;
  return o;
}

EncodeOptions Tokenizer::file_options() const {
  const EncodeSettings& s = encode_settings();
  EncodeOptions o;
  o.return_overflowing = true;
  if (const auto& t = s.truncation) {
    o.max_length = t->max_length;
    o.truncation = t->strategy;
    o.truncation_side = t->direction;
    o.stride = t->stride;
  }
  if (const auto& p = s.padding) {
    o.padding = p->fixed_length ? Padding::MaxLength : Padding::Longest;
    o.padding_length = p->fixed_length;
    o.padding_side = p->direction;
    o.pad_to_multiple_of = p->pad_to_multiple_of;
    o.pad_token = std::make_pair(p->pad_id, p->pad_token);
    o.pad_type_id = p->pad_type_id;
  }
  return o;
}

size_t Tokenizer::count_tokens(std::string_view text) const {
  EncodeOptions options;
  options.add_special_tokens = false;
  return encode(text, options).size();
}

int64_t Tokenizer::pad_id() const {
  if (const auto& id = special_ids().pad) return *id;
  throw TokenizerError("the tokenizer has no padding token");
}

void Tokenizer::save(const std::filesystem::path& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError("cannot create " + dir.string() + ": " + ec.message());
  for (const auto& [name, text] : files()) {
    const auto path = dir / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw IoError("cannot write " + path.string());
  }
}

}  // namespace finsent::text
