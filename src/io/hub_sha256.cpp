// SHA-256 through OpenSSL's EVP interface (the maintained implementation, with SHA-NI where
// present).
#include "finsent/io/hub_sha256.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

#include "finsent/core/error.hpp"

namespace finsent::io {
namespace {

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

Ctx new_context() {
  Ctx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw IoError("sha256: OpenSSL could not initialise a digest");
  }
  return ctx;
}

void update(EVP_MD_CTX* ctx, const char* data, size_t n) {
  if (EVP_DigestUpdate(ctx, data, n) != 1) throw IoError("sha256: OpenSSL digest update failed");
}

std::string finish_hex(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, digest, &len) != 1) throw IoError("sha256: OpenSSL digest failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  Ctx ctx = new_context();
  update(ctx.get(), bytes.data(), bytes.size());
  return finish_hex(ctx.get());
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for hashing");
  Ctx ctx = new_context();
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    update(ctx.get(), block.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw IoError(path.string() + ": read error while hashing");
  return finish_hex(ctx.get());
}

}  // namespace finsent::io
