// How a CLI subcommand plugs into the `finsent` executable: each app/cmd_*.cpp registers itself.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace finsent::app {

// Adds one subcommand (with its options and callback) to the root app. The callback may throw
// finsent::Error; main() turns it into one `finsent: error: ...` line.
using CommandRegistrar = std::function<void(CLI::App& root)>;

// Registers a subcommand at static-initialization time. `order` fixes its place in --help
// (the user's path: data=10, baseline=20, tokenize=30, download=40, train=50, eval=60, predict=70,
// serve=80, lab=90).
struct RegisterCommand {
  RegisterCommand(int order, CommandRegistrar registrar);
};

// The command line main() was given (argv[0] included), for commands that start copies of
// themselves (`train --nproc-per-node`).
const std::vector<std::string>& command_line();

// Thrown by a command for a bad combination of flags that CLI11 cannot express; exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace finsent::app
