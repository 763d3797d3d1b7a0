// The `finsent` executable: parses the command line, runs one subcommand, turns errors into one
// line.
#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

#include "command.hpp"
#include "finsent/core/allocator.hpp"
#include "finsent/core/blas_kernels.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/core/threads.hpp"

namespace finsent::app {
namespace {
std::vector<std::pair<int, CommandRegistrar>>& registry() {
  static std::vector<std::pair<int, CommandRegistrar>> commands;
  return commands;
}

std::vector<std::string>& command_line_storage() {
  static std::vector<std::string> arguments;
  return arguments;
}
}  // namespace

const std::vector<std::string>& command_line() {
  return command_line_storage();
}

RegisterCommand::RegisterCommand(int order, CommandRegistrar registrar) {
  registry().emplace_back(order, std::move(registrar));
}

}  // namespace finsent::app

namespace {
// The one place errors reach the terminal: messages carry text from files and requests (labels,
// texts, file names), so control characters are escaped and very long messages are capped.
int fail(const std::string& message, int code) {
  std::cerr << "finsent: error: " << finsent::printable_message(message) << "\n";
  return code;
}

// The BLAS under LibTorch's own GEMMs: OpenBLAS (a system LibTorch) names its kernel family;
// PyPI's wheel carries MKL inside libtorch_cpu.
std::string blas_line() {
  const std::string openblas = finsent::blas_core_name();
  if (!openblas.empty()) return "OpenBLAS " + openblas;
  return at::hasMKL() ? "MKL (in LibTorch)" : "LibTorch's own";
}

std::string version_line() {
  return "finsent 0.1.0 (LibTorch " + std::to_string(TORCH_VERSION_MAJOR) + "." +
         std::to_string(TORCH_VERSION_MINOR) + "." + std::to_string(TORCH_VERSION_PATCH) +
         ", BLAS kernels: " + blas_line() + ", malloc: " + finsent::allocator_name() + ")";
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App root{
      "finsent: fine-tune, evaluate and serve BERT-family text classifiers (financial sentiment "
      "first)",
      "finsent"};
  root.require_subcommand(1);
  root.set_version_flag("--version", version_line());
  int threads = 0;
  root.add_option("--threads", threads, "Threads for kernels and batch work (0 = all cores)")
      ->default_val(0);
  root.parse_complete_callback([&] {
    finsent::set_num_threads(threads);
    at::set_num_threads(finsent::num_threads());
  });

  finsent::app::command_line_storage().assign(argv, argv + argc);
  auto& commands = finsent::app::registry();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, registrar] : commands) registrar(root);

  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(e.what(), 2);
  } catch (const finsent::app::UsageError& e) {
    return fail(e.what(), 2);
  } catch (const finsent::Error& e) {
    return fail(e.what(), 1);
  } catch (const c10::Error& e) {
    return fail(e.what_without_backtrace(), 1);
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
  std::fflush(stdout);
  return 0;
}
