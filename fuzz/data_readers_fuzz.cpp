// libFuzzer target: the PhraseBank/CSV/TSV/JSONL parsers and the baseline analyzer on arbitrary
// bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "finsent/baseline/tfidf_vectorizer.hpp"
#include "finsent/core/error.hpp"
#include "finsent/data/dataset.hpp"

namespace {

// Every parsed example must be non-empty-labelled; anything else may only fail as InputError.
void check(const std::vector<finsent::data::Example>& rows) {
  if (rows.empty()) std::abort();
  for (const auto& e : rows) {
    if (e.label.empty()) std::abort();
    for (const auto& token : finsent::baseline::analyze(e.text)) {
      if (token.size() < 2) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  finsent::data::DataSource source{.path = "fuzz", .text_column = "text", .label_column = "label"};
  try {
    check(finsent::data::parse_phrasebank(bytes, "fuzz"));
  } catch (const finsent::InputError&) {
  }
  try {
    check(finsent::data::parse_delimited(bytes, ',', source));
  } catch (const finsent::InputError&) {
  }
  try {
    check(finsent::data::parse_delimited(bytes, '\t', source));
  } catch (const finsent::InputError&) {
  }
  try {
    check(finsent::data::parse_jsonl(bytes, source));
  } catch (const finsent::InputError&) {
  }
  (void)finsent::baseline::analyze(bytes);  // raw bytes, invalid UTF-8 included
  return 0;
}
