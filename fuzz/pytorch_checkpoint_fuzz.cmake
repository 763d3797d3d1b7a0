# pytorch_model.bin end to end: zip directory, restricted unpickler, tensor bounds (torch-free).
finsent_fuzz(pytorch_checkpoint_fuzz
  SOURCES
    ${FINSENT_ROOT}/src/io/pytorch_checkpoint.cpp
    ${FINSENT_ROOT}/src/io/zip_archive.cpp
    ${FINSENT_ROOT}/src/io/pickle_state_dict.cpp
    ${FINSENT_ROOT}/src/io/mapped_file.cpp
    ${FINSENT_ROOT}/src/io/dtype.cpp
    ${FINSENT_ROOT}/src/io/utf8.cpp
    ${FINSENT_ROOT}/src/core/error.cpp)
