# The restricted pickle VM behind pytorch_model.bin loading (torch-free).
finsent_fuzz(pickle_state_dict_fuzz
  SOURCES
    ${FINSENT_ROOT}/src/io/pickle_state_dict.cpp
    ${FINSENT_ROOT}/src/io/dtype.cpp
    ${FINSENT_ROOT}/src/io/utf8.cpp
    ${FINSENT_ROOT}/src/core/error.cpp)
