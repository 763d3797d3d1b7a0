// Where `finsent lab` finds its data and model when the user does not say (offline defaults).
#include <cstdlib>
#include <optional>

#include "finsent/core/error.hpp"
#include "finsent/io/hub.hpp"
#include "finsent/report/lab.hpp"

namespace finsent::report {
namespace fs = std::filesystem;

namespace {

constexpr const char* kDefaultFile = "Sentences_50Agree.txt";
constexpr const char* kDefaultModel = "models/all-MiniLM-L6-v2";

// A file as is; in a folder, the 50%-agreement file directly or inside FinancialPhraseBank-v1.0/.
std::optional<fs::path> data_in(const fs::path& p) {
  std::error_code ec;
  if (fs::is_regular_file(p, ec)) return p;
  for (const fs::path& candidate :
       {p / kDefaultFile, p / "FinancialPhraseBank-v1.0" / kDefaultFile}) {
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

}  // namespace

fs::path find_lab_data(const std::string& flag) {
  if (!flag.empty()) {
    if (!fs::exists(flag)) throw InputError(flag + ": no such file");
    if (auto found = data_in(flag)) return *found;
    throw InputError(flag + ": a folder without " + kDefaultFile + "; pass the data file itself");
  }
  if (const char* env = std::getenv("FINSENT_DATA"); env != nullptr && *env != '\0') {
    if (auto found = data_in(env)) return *found;
    throw InputError(std::string("FINSENT_DATA=") + env + " holds no " + kDefaultFile);
  }
  if (auto found = data_in("data")) return *found;
  throw InputError(
      "no data: pass --data FILE (PhraseBank .txt, CSV, TSV or JSONL), or set FINSENT_DATA to the "
      "FinancialPhraseBank-v1.0 folder, or unzip it into ./data/. The Financial PhraseBank v1.0 "
      "(FinancialPhraseBank-v1.0.zip, CC BY-NC-SA 3.0) is published by its authors and on the "
      "Hugging "
      "Face Hub as the dataset takala/financial_phrasebank");
}

fs::path find_lab_model(const std::string& dir_or_id) {
  std::error_code ec;
  if (fs::is_directory(dir_or_id, ec)) return dir_or_id;
  if (dir_or_id == kDefaultModel) {
    throw ConfigError(
        std::string(kDefaultModel) +
        " is missing: run scripts/fetch-model.sh (downloads all-MiniLM-L6-v2 once), or "
        "pass --model DIR|ID");
  }
  return io::resolve_model(dir_or_id);
}

}  // namespace finsent::report
