# Fuzz target for the text layer: BertNormalizer + BertPreTokenizer + WordPiece on arbitrary bytes.
file(GLOB TOKENIZER_FUZZ_SOURCES ${FINSENT_ROOT}/src/text/*.cpp ${FINSENT_ROOT}/src/text/pipeline/*.cpp)
pkg_check_modules(ONIGURUMA REQUIRED IMPORTED_TARGET oniguruma)
finsent_fuzz(tokenizer_fuzz
  SOURCES ${TOKENIZER_FUZZ_SOURCES} ${FINSENT_ROOT}/src/core/error.cpp ${FINSENT_ROOT}/src/core/threads.cpp
  LIBS PkgConfig::UTF8PROC PkgConfig::ONIGURUMA nlohmann_json::nlohmann_json PkgConfig::PROTOBUF
    OpenSSL::Crypto)
