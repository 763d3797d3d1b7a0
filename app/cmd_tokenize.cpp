// `finsent tokenize`: ids, tokens and decoded text of texts, as the model's tokenizer sees them.
#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/text/tokenizer.hpp"

namespace finsent::app {
namespace {

using nlohmann::json;

struct TokenizeOptions {
  std::string model, vocab;
  std::optional<size_t> max_len;
  bool pad = false, no_special = false, input_jsonl = false, as_json = false;
  std::vector<std::string> texts;
};

// tokenizer(text, truncation=True, max_length=N) as Transformers: the file's truncation and
// padding sections give only the sides.
text::EncodeOptions encode_options(const TokenizeOptions& o, const text::Tokenizer& tokenizer) {
  text::EncodeOptions e = tokenizer.default_options();
  e.add_special_tokens = !o.no_special;
  e.max_length = o.max_len;
  if (o.pad) e.padding = text::Padding::MaxLength;
  return e;
}

std::string join_tokens(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

template <typename T>
std::string join_numbers(const std::vector<T>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

// One stdin line of --input-jsonl: a JSON string or an object with a string "text".
std::string text_of_line(const std::string& line, size_t line_no) {
  json value;
  try {
    value = json::parse(line);
  } catch (const json::exception&) {
    throw InputError("stdin:" + std::to_string(line_no) + ": not valid JSON");
  }
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("text") && value["text"].is_string()) {
    return value["text"].get<std::string>();
  }
  throw InputError("stdin:" + std::to_string(line_no) +
                   ": expected a JSON string or an object with a string field \"text\"");
}

json encoding_json(const text::Encoding& e) {
  return json{{"ids", e.ids}, {"tokens", e.tokens}, {"attention_mask", e.attention_mask}};
}

void run(const TokenizeOptions& o) {
  const auto tokenizer_ptr = text::load_tokenizer(o.model.empty() ? o.vocab : o.model);
  const text::Tokenizer& tokenizer = *tokenizer_ptr;
  const auto options = encode_options(o, tokenizer);
  if (o.input_jsonl) {
    if (!o.texts.empty()) throw UsageError("--input-jsonl reads stdin; do not also pass TEXT");
    std::string line;
    for (size_t line_no = 1; std::getline(std::cin, line); ++line_no) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto e = tokenizer.encode(text_of_line(line, line_no), options);
      std::cout << encoding_json(e).dump() << "\n" << std::flush;
    }
    return;
  }
  std::vector<std::string> texts = o.texts;
  if (texts.empty()) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      texts.push_back(line);
    }
  }
  const auto encodings = tokenizer.encode_batch(texts, options);
  if (o.as_json) {
    json results = json::array();
    for (size_t i = 0; i < texts.size(); ++i) {
      json r = encoding_json(encodings[i]);
      r["text"] = texts[i];
      r["type_ids"] = encodings[i].type_ids;
      json offsets = json::array();
      for (const auto& [b, e] : encodings[i].offsets) offsets.push_back(json::array({b, e}));
      r["offsets"] = offsets;
      r["decoded"] = tokenizer.decode(encodings[i].ids);
      results.push_back(std::move(r));
    }
    std::cout << json{{"results", results}}.dump(2, ' ', false, json::error_handler_t::replace)
              << "\n";
    return;
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto& e = encodings[i];
    if (i) std::cout << "\n";
    std::cout << "text:    " << printable(texts[i]) << "\n"
              << "ids:     " << join_numbers(e.ids) << "\n"
              << "tokens:  " << printable(join_tokens(e.tokens)) << "\n"
              << "decoded: " << printable(tokenizer.decode(e.ids)) << "\n"
              << "length:  " << e.ids.size() << " tokens\n";
  }
}

RegisterCommand reg(30, [](CLI::App& root) {
  auto o = std::make_shared<TokenizeOptions>();
  auto* cmd = root.add_subcommand(
      "tokenize",
      "Show ids, tokens and decoded text of TEXT... (or stdin lines) as a model sees them");
  auto* model = cmd->add_option("--model", o->model,
                                "Model directory (tokenizer.json or vocab.txt + "
                                "tokenizer_config.json) or cached Hub id")
                    ->transform(model_dir_or_hub_id());
  auto* vocab = cmd->add_option("--vocab", o->vocab, "A vocab.txt or tokenizer.json file");
  model->excludes(vocab);
  cmd->add_option("--max-len", o->max_len,
                  "Truncate to N tokens including specials (longest first); default: no truncation")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--pad", o->pad, "Pad every text to --max-len");
  cmd->add_flag("--no-special", o->no_special, "Do not add [CLS] and [SEP]");
  cmd->add_flag("--input-jsonl", o->input_jsonl,
                "Read one JSON string (or {\"text\": ...}) per stdin line, write one JSON object "
                "{ids, tokens, attention_mask} per line");
  cmd->add_flag("--json", o->as_json, "Print one JSON document");
  cmd->add_option("TEXT", o->texts, "Texts to tokenize (default: stdin lines)");
  cmd->callback([o] {
    if (o->model.empty() == o->vocab.empty())
      throw UsageError("tokenize needs --model DIR or --vocab FILE");
    if (o->pad && !o->max_len) throw UsageError("--pad needs --max-len");
    run(*o);
  });
});

}  // namespace
}  // namespace finsent::app
