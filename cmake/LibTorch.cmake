# LibTorch from PyPI's torch wheel (scripts/setup-libtorch.sh puts it in .deps/libtorch), or any
# LibTorch tree with the same layout (include/, lib/) given as -DFINSENT_LIBTORCH_DIR=..., such as
# a Python environment's site-packages/torch on a GPU machine.
#
# Defines the target `torch`: libtorch_cpu + libc10 and their headers. CUDA is not linked: finsent
# loads libtorch_cuda.so from the same lib/ at run time when a CUDA device is asked for
# (ops/cuda_runtime), so one binary serves CPU-only machines, which need none of the CUDA libraries,
# and GPU machines. TorchConfig.cmake is not used: for a CUDA build of torch it insists on finding
# the CUDA toolkit, which a CPU-only machine does not have.
set(FINSENT_LIBTORCH_DIR "${PROJECT_SOURCE_DIR}/.deps/libtorch"
    CACHE PATH "LibTorch tree (include/, lib/): scripts/setup-libtorch.sh installs it here")
set(FINSENT_TORCH_API_INCLUDE "${FINSENT_LIBTORCH_DIR}/include/torch/csrc/api/include")
find_library(FINSENT_TORCH_CPU_LIBRARY torch_cpu PATHS "${FINSENT_LIBTORCH_DIR}/lib" NO_DEFAULT_PATH)
find_library(FINSENT_C10_LIBRARY c10 PATHS "${FINSENT_LIBTORCH_DIR}/lib" NO_DEFAULT_PATH)
if(NOT FINSENT_TORCH_CPU_LIBRARY OR NOT FINSENT_C10_LIBRARY OR
   NOT EXISTS "${FINSENT_TORCH_API_INCLUDE}/torch/torch.h")
  message(FATAL_ERROR "LibTorch not found in ${FINSENT_LIBTORCH_DIR}: run scripts/setup-libtorch.sh "
                      "(or pass -DFINSENT_LIBTORCH_DIR=<a LibTorch tree with include/ and lib/>)")
endif()

add_library(torch INTERFACE)
# Debian's libdnnl before libtorch_cpu in every program's load order: libtorch_cpu exports weak
# template instantiations named after its private oneDNN's types (std::call_once on
# gemm_info_t<float, float, float>::jit_init's lambda, among others). Loaded first, those bind
# Debian's oneDNN to LibTorch's copies of its code, and its GEMM answers "unimplemented".
# Given as a link option it comes ahead of every object and library on the command line, so it is
# the programs' first DT_NEEDED entry whatever order CMake gives the libraries.
target_link_options(torch INTERFACE "LINKER:--push-state,--no-as-needed" "${DNNL_LIBRARY}"
                    "LINKER:--pop-state")
target_link_libraries(torch INTERFACE ${FINSENT_TORCH_CPU_LIBRARY} ${FINSENT_C10_LIBRARY})
target_include_directories(torch SYSTEM INTERFACE "${FINSENT_LIBTORCH_DIR}/include"
                                                  "${FINSENT_TORCH_API_INCLUDE}")
# ATen's inline at::parallel_for runs in parallel only in files compiled with OpenMP (_OPENMP;
# src/ops/cpu/parallel.hpp checks): every user of `torch` gets OpenMP's compile flags, linked against
# the libgomp of the tree itself, the one libtorch_cpu loads, so a program has one OpenMP runtime
# (and no second libgomp.so.1 in the compiler's folder for the run path to choose between).
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_library(FINSENT_TORCH_GOMP_LIBRARY NAMES libgomp.so.1 PATHS "${FINSENT_LIBTORCH_DIR}/lib"
             NO_DEFAULT_PATH)
if(NOT FINSENT_TORCH_GOMP_LIBRARY)
  set(FINSENT_TORCH_GOMP_LIBRARY ${OpenMP_CXX_LIBRARIES})  # a tree that loads the system's libgomp
endif()
separate_arguments(FINSENT_OPENMP_FLAGS UNIX_COMMAND "${OpenMP_CXX_FLAGS}")
target_compile_options(torch INTERFACE ${FINSENT_OPENMP_FLAGS})
target_link_libraries(torch INTERFACE ${FINSENT_TORCH_GOMP_LIBRARY})
# The wheel is built with the C++11 ABI (as Debian's gcc defaults to) and needs C++20 headers.
target_compile_definitions(torch INTERFACE _GLIBCXX_USE_CXX11_ABI=1)
target_compile_features(torch INTERFACE cxx_std_20)
# The programs find libtorch (and, for --device cuda, libtorch_cuda and the CUDA libraries next to
# it) in this folder without LD_LIBRARY_PATH.
list(APPEND CMAKE_BUILD_RPATH "${FINSENT_LIBTORCH_DIR}/lib")
list(APPEND CMAKE_INSTALL_RPATH "${FINSENT_LIBTORCH_DIR}/lib")
set(TORCH_INCLUDE_DIRS "${FINSENT_LIBTORCH_DIR}/include" "${FINSENT_TORCH_API_INCLUDE}")
set(FINSENT_TORCH_LIBRARY_DIR "${FINSENT_LIBTORCH_DIR}/lib")
