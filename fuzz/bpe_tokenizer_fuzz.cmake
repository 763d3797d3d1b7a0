# Fuzz target for the tokenizer.json pipeline with byte-level BPE (the roberta, gpt2 and modernbert
# fixture tokenizers) on arbitrary bytes.
file(GLOB BPE_FUZZ_SOURCES ${FINSENT_ROOT}/src/text/*.cpp ${FINSENT_ROOT}/src/text/pipeline/*.cpp)
pkg_check_modules(ONIGURUMA REQUIRED IMPORTED_TARGET oniguruma)
finsent_fuzz(bpe_tokenizer_fuzz
  SOURCES ${BPE_FUZZ_SOURCES} ${FINSENT_ROOT}/src/core/error.cpp ${FINSENT_ROOT}/src/core/threads.cpp
  LIBS PkgConfig::UTF8PROC PkgConfig::ONIGURUMA nlohmann_json::nlohmann_json PkgConfig::PROTOBUF
    OpenSSL::Crypto)
target_compile_definitions(bpe_tokenizer_fuzz PRIVATE
  FINSENT_BPE_FIXTURES="${FINSENT_ROOT}/tests/fixtures/text/bpe")
