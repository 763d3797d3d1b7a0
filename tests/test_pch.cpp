// The translation unit of finsent_test_pch: building it builds the precompiled header that the
// LibTorch-using test binaries reuse (CMakeLists.txt). It defines nothing.
