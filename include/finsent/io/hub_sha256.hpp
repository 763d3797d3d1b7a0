// SHA-256 digests (OpenSSL EVP) as lowercase hex, for verifying Hub downloads against LFS ETags.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace finsent::io {

// The SHA-256 of `bytes`, 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// The SHA-256 of a file's whole content, 64 lowercase hex digits, read in blocks (any size).
// Throws IoError naming the file if it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace finsent::io
