// SentencePiece model file -> the tokenizer.json pipeline that Transformers' convert_slow_tokenizer
// builds for the model type tokenizer_config.json names.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "sentencepiece_model.hpp"

namespace finsent::text {

// The tokenizer.json document (model, normalizer, pre_tokenizer, post_processor, decoder,
// added_tokens) that tokenizers saves after Transformers 5's converter for
// tokenizer_config["tokenizer_class"]:
//  - XLMRobertaTokenizer (XLMRobertaConverter): <s> <pad> </s> <unk> + pieces[3:] + <mask>, unk 3,
//    Precompiled + Strip(right) + Replace(" {2,}" -> "▁"), <s> A </s> (</s> B </s>);
//  - AlbertTokenizer (AlbertConverter): pieces as they are, "<digit>," pieces scored -100,
//    Replace(`` and '' -> "), NFKD + StripAccents unless keep_accents, Lowercase if do_lower_case,
//    Precompiled, Replace(" {2,}" -> " "), [CLS] A [SEP] (B [SEP] with type id 1);
//  - DebertaV2Tokenizer (DebertaV2Converter): Lowercase if do_lower_case, Strip, Precompiled,
//    Replace(" {2,}" -> " "), Punctuation (isolated) before Metaspace if split_by_punct,
//    [CLS]/[SEP] as ALBERT.
// All use Metaspace("▁", prepend_scheme always, or never when add_prefix_space is false) as
// pre-tokenizer and decoder, the Unigram model (byte_fallback false, as the converters), control
// and user-defined pieces as added tokens (normalized false; control ones special), then the
// config's special tokens (bos, eos, unk, sep, pad, cls, mask) as special added tokens, appended
// when the vocabulary lacks them; the mask token strips left for XLM-R and ALBERT, as their Hub
// files declare. Throws TokenizerError naming `source` for another class, a BPE/word/char
// model, or a missing [CLS]/[SEP]/<s>/</s> piece.
nlohmann::json sentencepiece_tokenizer_json(const SentencePieceModel& model,
                                            const nlohmann::json& tokenizer_config,
                                            const std::string& source);

}  // namespace finsent::text
