// Runs headless Chromium on a local file: DOM after rendering, console messages, a screenshot.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace finsent::report::testing {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The browser to use: $FINSENT_CHROMIUM, else the first of chromium, chromium-browser,
// google-chrome on PATH; "" when there is none.
inline std::string find_chromium() {
  if (const char* env = std::getenv("FINSENT_CHROMIUM"); env != nullptr && *env != '\0') return env;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
      const auto candidate = std::filesystem::path(dir) / name;
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    }
  }
  return "";
}

inline const char* kNoChromium =
    "headless Chromium is needed to check the HTML report: install it with scripts/setup.sh "
    "(Debian package `chromium`) or point FINSENT_CHROMIUM at a Chromium/Chrome binary";

struct BrowserRun {
  int exit_code = -1;
  std::string dom;                   // --dump-dom output (empty for screenshots)
  std::vector<std::string> console;  // every console message Chromium logged (errors included)
  std::string log;                   // Chromium's whole stderr, for failure messages
};

// One headless run on `file` with a private profile under `work`. With `screenshot`, writes a PNG
// of a `width` x `height` window there instead of dumping the DOM.
inline BrowserRun run_chromium(const std::string& chromium, const std::filesystem::path& file,
                               const std::filesystem::path& work,
                               const std::filesystem::path& screenshot = {}, int width = 1100,
                               int height = 2400) {
  std::filesystem::create_directories(work);
  const auto out = work / "stdout.txt", err = work / "stderr.txt";
  std::string cmd = "timeout 120 '" + chromium +
                    "' --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions "
                    "--hide-scrollbars --enable-logging=stderr --v=0 --user-data-dir='" +
                    (work / "profile").string() + "' ";
  if (!screenshot.empty()) {
    cmd += "--window-size=" + std::to_string(width) + "," + std::to_string(height) +
           " --screenshot='" + screenshot.string() + "' ";
  } else {
    cmd += "--dump-dom ";
  }
  cmd += "'file://" + std::filesystem::absolute(file).string() + "' >'" + out.string() + "' 2>'" +
         err.string() + "'";
  BrowserRun run;
  const int status = std::system(cmd.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.dom = read_text(out);
  run.log = read_text(err);
  std::stringstream lines(run.log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(":CONSOLE") != std::string::npos) run.console.push_back(line);
  }
  return run;
}

}  // namespace finsent::report::testing
