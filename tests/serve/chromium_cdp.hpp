// Test helper: drives headless Chromium over the DevTools protocol on a pipe (fds 3 and 4).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace finsent::serve::testing {

// Chromium's path: $FINSENT_CHROMIUM, else the first chromium/chromium-browser on PATH; "" if none.
inline std::string find_chromium() {
  if (const char* env = std::getenv("FINSENT_CHROMIUM"); env && *env) return env;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    const size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::filesystem::path dir = dirs.substr(start, end - start);
    for (const char* name : {"chromium", "chromium-browser"})
      if (access((dir / name).c_str(), X_OK) == 0) return (dir / name).string();
    start = end + 1;
  }
  return "";
}

// One headless Chromium with one page attached. Every call throws std::runtime_error on timeout.
class ChromiumPage {
 public:
  explicit ChromiumPage(const std::string& chromium) {
    int to_chrome[2], from_chrome[2];
    if (pipe(to_chrome) != 0 || pipe(from_chrome) != 0) throw std::runtime_error("pipe failed");
    profile_ =
        std::filesystem::temp_directory_path() / ("finsent-chromium-" + std::to_string(getpid()));
    pid_ = fork();
    if (pid_ == 0) {
      // Chromium reads commands from fd 3 and writes replies to fd 4.
      dup2(to_chrome[0], 3);
      dup2(from_chrome[1], 4);
      for (int fd = 5; fd < 1024; ++fd) close(fd);
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      const std::string profile = "--user-data-dir=" + profile_.string();
      execl(chromium.c_str(), chromium.c_str(), "--headless", "--disable-gpu", "--no-sandbox",
            "--no-first-run", "--disable-extensions", "--remote-debugging-pipe", profile.c_str(),
            "about:blank", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(to_chrome[0]);
    close(from_chrome[1]);
    out_ = to_chrome[1];
    in_ = from_chrome[0];
    const auto target = call("Target.createTarget", {{"url", "about:blank"}});
    const auto attached =
        call("Target.attachToTarget", {{"targetId", target["targetId"]}, {"flatten", true}});
    session_ = attached["sessionId"];
    call("Page.enable", nlohmann::json::object(), session_);
    call("Runtime.enable", nlohmann::json::object(), session_);
  }

  ~ChromiumPage() {
    try {
      call("Browser.close", nlohmann::json::object(), "", std::chrono::seconds(5));
    } catch (...) {
    }
    close(out_);
    close(in_);
    int status = 0;
    for (int i = 0; i < 50 && waitpid(pid_, &status, WNOHANG) == 0; ++i) usleep(100000);
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(profile_, ignored);
  }

  // Navigates and waits for the load event.
  void navigate(const std::string& url) {
    call("Page.navigate", {{"url", url}}, session_);
    wait_event("Page.loadEventFired", std::chrono::seconds(20));
  }

  // Evaluates a JavaScript expression in the page; returns its (JSON-serializable) value.
  nlohmann::json eval(const std::string& expression) {
    const auto r = call(
        "Runtime.evaluate",
        {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}}, session_);
    if (r.contains("exceptionDetails")) throw std::runtime_error("JS error: " + r.dump());
    return r["result"].value("value", nlohmann::json());
  }

  // Types text into the focused element as a user's keyboard would (fires input events).
  void type(const std::string& text) { call("Input.insertText", {{"text", text}}, session_); }

  // Sends a command and waits for its reply's result; throws on a protocol error.
  nlohmann::json call(const std::string& method, const nlohmann::json& params,
                      const std::string& session = "",
                      std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const int id = ++next_id_;
    nlohmann::json msg{{"id", id}, {"method", method}, {"params", params}};
    if (!session.empty()) msg["sessionId"] = session;
    const std::string bytes = msg.dump() + std::string(1, '\0');
    for (size_t off = 0; off < bytes.size();) {
      const ssize_t n = write(out_, bytes.data() + off, bytes.size() - off);
      if (n <= 0) throw std::runtime_error("cannot write to chromium");
      off += static_cast<size_t>(n);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const nlohmann::json reply = read_message(deadline);
      if (reply.value("id", -1) != id) {
        if (reply.contains("method")) events_.push_back(reply);
        continue;
      }
      if (reply.contains("error")) throw std::runtime_error(method + ": " + reply["error"].dump());
      return reply["result"];
    }
  }

 private:
  void wait_event(const std::string& method, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      for (size_t i = 0; i < events_.size(); ++i)
        if (events_[i]["method"] == method) {
          events_.erase(events_.begin() + static_cast<long>(i));
          return;
        }
      events_.push_back(read_message(deadline));
    }
  }

  nlohmann::json read_message(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      if (const size_t end = buffer_.find('\0'); end != std::string::npos) {
        const std::string text = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return nlohmann::json::parse(text);
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("timed out waiting for chromium");
      pollfd p{in_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[65536];
      const ssize_t n = read(in_, chunk, sizeof chunk);
      if (n <= 0) throw std::runtime_error("chromium closed the pipe");
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int out_ = -1, in_ = -1;
  int next_id_ = 0;
  std::string buffer_;
  std::string session_;
  std::vector<nlohmann::json> events_;
  std::filesystem::path profile_;
};

}  // namespace finsent::serve::testing
