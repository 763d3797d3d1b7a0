// ModelProto reading through libprotobuf's UnknownFieldSet (the wire format without generated
// code): pieces, trainer_spec and normalizer_spec fields by their .proto numbers.
#include "sentencepiece_model.hpp"

#include <google/protobuf/unknown_field_set.h>

#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  void parse(std::string_view bytes, UnknownFieldSet& out, const char* what) const {
    if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
        !out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      fail(std::string("malformed ") + what);
    }
  }
  const std::string& bytes(const UnknownField& f, const char* name) const {
    if (f.type() != UnknownField::TYPE_LENGTH_DELIMITED) fail_type(name);
    return f.length_delimited();
  }
  uint64_t varint(const UnknownField& f, const char* name) const {
    if (f.type() != UnknownField::TYPE_VARINT) fail_type(name);
    return f.varint();
  }
  float float32(const UnknownField& f, const char* name) const {
    if (f.type() != UnknownField::TYPE_FIXED32) fail_type(name);
    const uint32_t bits = f.fixed32();
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw TokenizerError(source_ + ": not a SentencePiece model (" + why + ")");
  }

 private:
  [[noreturn]] void fail_type(const char* name) const {
    fail(std::string("field ") + name + " has the wrong wire type");
  }
  const std::string& source_;
};

SentencePieceModel::Piece parse_piece(const Reader& r, const std::string& bytes) {
  UnknownFieldSet fields;
  r.parse(bytes, fields, "piece");
  SentencePieceModel::Piece piece;
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& f = fields.field(i);
    if (f.number() == 1) piece.piece = r.bytes(f, "SentencePiece.piece");
    if (f.number() == 2) piece.score = r.float32(f, "SentencePiece.score");
    if (f.number() == 3) piece.type = static_cast<int>(r.varint(f, "SentencePiece.type"));
  }
  return piece;
}

void parse_trainer_spec(const Reader& r, const std::string& bytes, SentencePieceModel& m) {
  UnknownFieldSet fields;
  r.parse(bytes, fields, "trainer_spec");
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& f = fields.field(i);
    if (f.number() == 3) m.model_type = static_cast<int>(r.varint(f, "model_type"));
    if (f.number() == 35) m.byte_fallback = r.varint(f, "byte_fallback") != 0;
    if (f.number() == 40) m.unk_id = static_cast<int32_t>(r.varint(f, "unk_id"));
  }
}

void parse_normalizer_spec(const Reader& r, const std::string& bytes, SentencePieceModel& m) {
  UnknownFieldSet fields;
  r.parse(bytes, fields, "normalizer_spec");
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& f = fields.field(i);
    if (f.number() == 1) m.normalizer_name = r.bytes(f, "normalizer_spec.name");
    if (f.number() == 2) m.precompiled_charsmap = r.bytes(f, "precompiled_charsmap");
    if (f.number() == 3) m.add_dummy_prefix = r.varint(f, "add_dummy_prefix") != 0;
    if (f.number() == 4) m.remove_extra_whitespaces = r.varint(f, "remove_extra_whitespaces") != 0;
    if (f.number() == 5) m.escape_whitespaces = r.varint(f, "escape_whitespaces") != 0;
  }
}

}  // namespace

SentencePieceModel parse_sentencepiece_model(std::string_view bytes, const std::string& source) {
  const Reader r(source);
  UnknownFieldSet fields;
  r.parse(bytes, fields, "ModelProto");
  SentencePieceModel m;
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& f = fields.field(i);
    if (f.number() == 1) m.pieces.push_back(parse_piece(r, r.bytes(f, "pieces")));
    if (f.number() == 2) parse_trainer_spec(r, r.bytes(f, "trainer_spec"), m);
    if (f.number() == 3) parse_normalizer_spec(r, r.bytes(f, "normalizer_spec"), m);
  }
  if (m.pieces.empty()) r.fail("no pieces");
  if (m.unk_id < 0 || static_cast<size_t>(m.unk_id) >= m.pieces.size()) {
    r.fail("unk_id " + std::to_string(m.unk_id) + " outside its " +
           std::to_string(m.pieces.size()) + " pieces");
  }
  return m;
}

SentencePieceModel read_sentencepiece_model(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("cannot read " + path.string());
  return parse_sentencepiece_model(buffer.str(), path.string());
}

}  // namespace finsent::text
