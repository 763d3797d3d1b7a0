// at::parallel_for for the CPU kernels, with the build check that it really runs in parallel.
//
// ATen's parallel_for is a header template. Compiled without OpenMP (-fopenmp, which LibTorch's
// CMake package does not add) it runs every range whole on the calling thread, silently, while
// the other intra-op threads spin. cmake/LibTorch.cmake gives every user of `torch` OpenMP's flags
// (linked against the libgomp LibTorch loads); a kernel file that includes this header instead of
// <ATen/Parallel.h> cannot lose them unnoticed.
#pragma once

#include <ATen/Parallel.h>

#if AT_PARALLEL_OPENMP && !defined(_OPENMP)
#error "at::parallel_for would run serially: compile the ops kernels with OpenMP (-fopenmp)"
#endif
