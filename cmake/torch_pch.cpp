// The translation unit of finsent_torch_pch: building it builds the precompiled header that every
// LibTorch-using target reuses (CMakeLists.txt). It defines nothing.
