// Reading a SentencePiece model file (spm.model, sentencepiece.bpe.model): the ModelProto fields
// that Transformers' convert_slow_tokenizer reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace finsent::text {

// sentencepiece_model.proto's ModelProto, the parts the converters use (defaults as the .proto).
struct SentencePieceModel {
  enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
  struct Piece {
    std::string piece;
    float score = 0;
    int type = Normal;
  };
  enum ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };

  std::vector<Piece> pieces;
  // trainer_spec
  int model_type = Unigram;
  bool byte_fallback = false;
  int32_t unk_id = 0;
  // normalizer_spec
  std::string normalizer_name;
  std::string precompiled_charsmap;
  bool add_dummy_prefix = true;
  bool remove_extra_whitespaces = true;
  bool escape_whitespaces = true;
};

// Parses a serialized ModelProto with libprotobuf's wire-format reader. Throws TokenizerError
// naming `source` when the bytes are not a ModelProto (bad wire format, a field of the wrong wire
// type, no pieces, unk_id outside the pieces).
SentencePieceModel parse_sentencepiece_model(std::string_view bytes, const std::string& source);

// Reads and parses `path`. Throws IoError when it cannot be read, TokenizerError as above.
SentencePieceModel read_sentencepiece_model(const std::filesystem::path& path);

}  // namespace finsent::text
