// The byte-level stages (GPT-2's bytes_to_unicode): ByteLevel pre-tokenizer, post-processor and
// decoder (tokenizers::pre_tokenizers::byte_level).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "components.hpp"

namespace finsent::text {

// GPT-2's regex for splitting words, as tokenizers' ByteLevel uses it.
inline constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// The printable character GPT-2 maps byte b to, and the byte of such a character (-1 if none).
char32_t byte_to_char(uint8_t b);
int char_to_byte(char32_t c);

// ByteLevel trim_offsets over one sequence: leading/trailing mapped spaces leave the offsets, but
// the first token keeps one added prefix space when add_prefix_space is set.
void trim_byte_level_offsets(std::vector<RawToken>& tokens, const TokenStrings& strings,
                             bool add_prefix_space);

std::unique_ptr<PreTokenizer> make_byte_level_pre_tokenizer(const nlohmann::json& j);
std::unique_ptr<PostProcessor> make_byte_level_post_processor(const nlohmann::json& j);
std::unique_ptr<Decoder> make_byte_level_decoder(const nlohmann::json& j);

}  // namespace finsent::text
