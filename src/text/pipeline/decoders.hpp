// tokenizer.json decoders (tokenizers::decoders): WordPiece, BPEDecoder, Replace, ByteFallback,
// Fuse, Strip, Sequence. ByteLevel is in byte_level.hpp, Metaspace in its own file.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

std::unique_ptr<Decoder> make_wordpiece_decoder(const nlohmann::json& j);
std::unique_ptr<Decoder> make_bpe_decoder(const nlohmann::json& j);
std::unique_ptr<Decoder> make_replace_decoder(const nlohmann::json& j);
std::unique_ptr<Decoder> make_byte_fallback_decoder(const nlohmann::json& j);
std::unique_ptr<Decoder> make_fuse_decoder(const nlohmann::json& j);
std::unique_ptr<Decoder> make_strip_decoder(const nlohmann::json& j);
std::unique_ptr<Decoder> make_decoder_sequence(const nlohmann::json& j);

// The WordPiece decoder's cleanup of one token (" ." -> "." and the contraction rules).
void wordpiece_cleanup(std::string& s);

}  // namespace finsent::text
