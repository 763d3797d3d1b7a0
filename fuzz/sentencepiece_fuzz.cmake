# Fuzz target for the SentencePiece path: Precompiled charsmap + Metaspace + Unigram on arbitrary
# bytes, and the .model / charsmap parsers.
finsent_fuzz(sentencepiece_fuzz
  SOURCES ${FINSENT_ROOT}/src/text/precompiled_charsmap.cpp ${FINSENT_ROOT}/src/text/metaspace.cpp
    ${FINSENT_ROOT}/src/text/unigram_model.cpp ${FINSENT_ROOT}/src/text/sentencepiece_model.cpp
    ${FINSENT_ROOT}/src/text/utf8_decode.cpp ${FINSENT_ROOT}/src/core/error.cpp
  LIBS PkgConfig::UTF8PROC PkgConfig::PROTOBUF OpenSSL::Crypto)
target_include_directories(sentencepiece_fuzz PRIVATE ${FINSENT_ROOT}/src/text)
target_compile_definitions(sentencepiece_fuzz PRIVATE
  FINSENT_FIXTURES="${FINSENT_ROOT}/tests/fixtures/text/sentencepiece")
