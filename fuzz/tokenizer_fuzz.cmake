# Fuzz target for the text layer: BertNormalizer + BertPreTokenizer + WordPiece on arbitrary bytes.
file(GLOB TOKENIZER_FUZZ_SOURCES ${FINSENT_ROOT}/src/text/*.cpp)
finsent_fuzz(tokenizer_fuzz
  SOURCES ${TOKENIZER_FUZZ_SOURCES} ${FINSENT_ROOT}/src/core/error.cpp ${FINSENT_ROOT}/src/core/threads.cpp
  LIBS PkgConfig::UTF8PROC nlohmann_json::nlohmann_json)
