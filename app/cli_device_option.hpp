// `--device auto|cpu|cuda[:N]`: the one definition train, eval, predict, serve and lab share.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include <c10/core/Device.h>

namespace finsent::app {

// Adds --device (default auto) writing the value to `spec`. A value of another form (tpu, cuda:x)
// is a usage error (exit 2) naming the forms.
void add_device_option(CLI::App* cmd, std::string& spec);

// The device `spec` means here (pipeline::resolve_device): cuda in a build without CUDA, or with
// no such device, throws ConfigError (one line, exit 1).
c10::Device device_from(const std::string& spec);

}  // namespace finsent::app
