// Reading a whole tokenizer file (vocab.json, merges.txt, tokenizer.json) into memory.
#pragma once

#include <filesystem>
#include <string>

namespace finsent::text::detail {

// The bytes of `path`. Throws IoError ("cannot open PATH" / "cannot read PATH").
std::string read_file(const std::filesystem::path& path);

}  // namespace finsent::text::detail
