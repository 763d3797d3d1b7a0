// Fixtures of the SentencePiece tests: the models of tests/fixtures/text/sentencepiece with their
// charsmap put back (the generator stores it once; see tools/make_sentencepiece_fixtures.py).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace finsent::text::testing {

inline const char* const kSentencePieceModels[] = {"xlm-roberta", "albert", "deberta-v3"};

inline std::filesystem::path sentencepiece_dir() {
  return std::filesystem::path(FINSENT_FIXTURES_DIR) / "text" / "sentencepiece";
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void append_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// The .model bytes of fixture `name` (xlm-roberta, albert, deberta-v3) with the charsmap back: a
// ModelProto { normalizer_spec { precompiled_charsmap } } appended, which protobuf merges.
inline std::string sentencepiece_model_bytes(const std::string& name, const std::string& file) {
  const std::string charsmap = read_bytes(sentencepiece_dir() / "nmt_nfkc.charsmap");
  std::string spec;
  spec.push_back(0x12);  // field 2, length-delimited
  append_varint(spec, charsmap.size());
  spec += charsmap;
  std::string out = read_bytes(sentencepiece_dir() / name / file);
  out.push_back(0x1A);  // field 3, length-delimited
  append_varint(out, spec.size());
  return out + spec;
}

inline std::string sentencepiece_file(const std::string& name) {
  if (name == "xlm-roberta") return "sentencepiece.bpe.model";
  if (name == "albert") return "spiece.model";
  return "spm.model";
}

}  // namespace finsent::text::testing
