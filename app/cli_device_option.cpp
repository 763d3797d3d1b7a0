// --device: its form checked while parsing, its meaning resolved when the command runs.
#include "cli_device_option.hpp"

#include "finsent/pipeline/device.hpp"

namespace finsent::app {

void add_device_option(CLI::App* cmd, std::string& spec) {
  cmd->add_option("--device", spec,
                  "auto | cpu | cuda | cuda:N (auto: cuda when LibTorch sees one, else cpu)")
      ->default_val("auto")
      ->check(CLI::Validator(
          [](std::string& value) {
            return pipeline::parse_device_spec(value)
                       ? std::string()
                       : "expected auto, cpu, cuda or cuda:N, not '" + value + "'";
          },
          "DEVICE", "device"));
}

c10::Device device_from(const std::string& spec) {
  return pipeline::resolve_device(spec);
}

}  // namespace finsent::app
