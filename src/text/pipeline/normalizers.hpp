// tokenizer.json normalizers (tokenizers::normalizers): BertNormalizer, Sequence, NFC/NFD/NFKC/
// NFKD, Lowercase, Strip, StripAccents, Replace, Prepend. Precompiled lives in its own file.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "components.hpp"

namespace finsent::text {

std::unique_ptr<Normalizer> make_bert_normalizer(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_normalizer_sequence(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_nfc(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_nfd(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_nfkc(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_nfkd(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_lowercase(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_strip(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_strip_accents(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_replace(const nlohmann::json& j);
std::unique_ptr<Normalizer> make_prepend(const nlohmann::json& j);

// Replace's and Split's pattern: {"String": s} or {"Regex": r}.
std::unique_ptr<Pattern> make_pattern(const nlohmann::json& j, const std::string& where);

}  // namespace finsent::text
