// Runs the built `finsent` binary with arguments and captures stdout, stderr and the exit code.
#pragma once

#include <sys/wait.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/test_data.hpp"

namespace finsent::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Arguments are single-quoted for the shell; stdin_text (if any) is fed through a temp file.
// `prefix` (shell words, e.g. "env RANK=1" or "ip netns exec ns0") runs before the binary.
inline CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                         const std::string& prefix = "") {
  static std::atomic<int> counter{0};  // calls may come from several threads
  const auto dir = std::filesystem::temp_directory_path();
  const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const auto out_path = dir / ("finsent_cli_out_" + tag);
  const auto err_path = dir / ("finsent_cli_err_" + tag);
  const auto in_path = dir / ("finsent_cli_in_" + tag);
  {
    std::ofstream in(in_path, std::ios::binary);
    in << stdin_text;
  }
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  std::string cmd = prefix.empty() ? quote(FINSENT_BINARY) : prefix + " " + quote(FINSENT_BINARY);
  for (const auto& a : args) {
    cmd += ' ';
    cmd += quote(a);
  }
  cmd += " <" + quote(in_path.string()) + " >" + quote(out_path.string()) + " 2>" +
         quote(err_path.string());
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  std::filesystem::remove(in_path);
  return r;
}

}  // namespace finsent::testing
