// Resolution of `--model` values through the Hugging Face cache (io::resolve_model).
#include "cli_model_option.hpp"

#include "finsent/io/hub.hpp"

namespace finsent::app {

CLI::Validator model_dir_or_hub_id() {
  return CLI::Validator(
      [](std::string& value) {
        value = io::resolve_model(value).string();
        return std::string();
      },
      "DIR|ID", "model directory or Hugging Face id");
}

}  // namespace finsent::app
