# Dataset readers (PhraseBank, CSV, TSV, JSONL) and the TF-IDF analyzer (torch-free).
finsent_fuzz(data_readers_fuzz
  SOURCES
    ${FINSENT_ROOT}/src/data/dataset.cpp
    ${FINSENT_ROOT}/src/data/data_file.cpp
    ${FINSENT_ROOT}/src/data/python_csv.cpp
    ${FINSENT_ROOT}/src/baseline/tfidf_vectorizer.cpp
    ${FINSENT_ROOT}/src/baseline/sparse_matrix.cpp
    ${FINSENT_ROOT}/src/core/error.cpp
  LIBS nlohmann_json::nlohmann_json PkgConfig::UTF8PROC)
