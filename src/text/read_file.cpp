// Reading a whole tokenizer file into memory.
#include "read_file.hpp"

#include <fstream>
#include <sstream>

#include "finsent/core/error.hpp"

namespace finsent::text::detail {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError("cannot read " + path.string());
  return buffer.str();
}

}  // namespace finsent::text::detail
