# The safetensors header parser and writer (torch-free io sources only).
finsent_fuzz(safetensors_fuzz
  SOURCES
    ${FINSENT_ROOT}/src/io/safetensors_reader.cpp
    ${FINSENT_ROOT}/src/io/safetensors_writer.cpp
    ${FINSENT_ROOT}/src/io/dtype.cpp
    ${FINSENT_ROOT}/src/io/utf8.cpp
    ${FINSENT_ROOT}/src/io/mapped_file.cpp
    ${FINSENT_ROOT}/src/io/atomic_file.cpp
    ${FINSENT_ROOT}/src/core/error.cpp
  LIBS nlohmann_json::nlohmann_json)
