// A fake Hugging Face Hub on 127.0.0.1 for the hub tests: resolve URLs with the Hub's headers,
// LFS files redirected to a second "CDN" server (another port, so another origin), Range answers,
// the model API's file list, and a log of every request.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "finsent/io/hub_sha256.hpp"

namespace finsent::io::testing {

class FakeHub {
 public:
  struct File {
    std::string content;
    bool lfs = false;  // served through a 302 to the CDN, ETag = sha256, like Git LFS files
  };
  struct Request {
    std::string server;  // "hub" or "cdn"
    std::string method, path, range, authorization;
  };

  explicit FakeHub(std::string repo_id = "acme/tiny-bert") : repo_id_(std::move(repo_id)) {
    hub_.Get(R"(/([^/]+)/([^/]+)/resolve/([^/]+)/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) { resolve(req, res); });
    hub_.Get(R"(/api/models/([^/]+)/([^/]+)/revision/([^/]+))",
             [this](const httplib::Request& req, httplib::Response& res) { listing(req, res); });
    cdn_.Get(R"(/lfs/([0-9a-f]{64}))",
             [this](const httplib::Request& req, httplib::Response& res) { blob(req, res); });
    hub_port_ = hub_.bind_to_any_port("127.0.0.1");
    cdn_port_ = cdn_.bind_to_any_port("127.0.0.1");
    // bind_to_any_port already listens: connections queue until the accept loops start.
    hub_thread_ = std::thread([this] { hub_.listen_after_bind(); });
    cdn_thread_ = std::thread([this] { cdn_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs: wait for it, or ~FakeHub could join forever.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!(hub_.is_running() && cdn_.is_running()) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;
  ~FakeHub() {
    hub_.stop();
    cdn_.stop();
    hub_thread_.join();
    cdn_thread_.join();
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(hub_port_); }
  const std::string& repo_id() const { return repo_id_; }
  const std::string& commit() const { return commit_; }

  // Setup, before requests are made.
  void add(const std::string& name, std::string content, bool lfs = false) {
    std::lock_guard lock(mu_);
    files_[name] = File{std::move(content), lfs};
  }
  void require_token(std::string token) {
    std::lock_guard lock(mu_);
    token_ = std::move(token);
  }
  // Requests for `old_id` are redirected (307, same host) to this repository.
  void rename_from(std::string old_id) {
    std::lock_guard lock(mu_);
    renamed_from_ = std::move(old_id);
  }
  // The CDN flips one byte of every LFS file it serves (a corrupted transfer or store).
  void corrupt_lfs(bool on) {
    std::lock_guard lock(mu_);
    corrupt_ = on;
  }
  // A new commit: later requests for "main" answer with it.
  void set_commit(std::string commit) {
    std::lock_guard lock(mu_);
    commit_ = std::move(commit);
  }

  std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return log_;
  }
  // Requests made with `method` to `server` ("hub" or "cdn"); "" matches both servers.
  size_t count(const std::string& method, const std::string& server = "") const {
    size_t n = 0;
    for (const auto& r : requests()) {
      if (r.method == method && (server.empty() || r.server == server)) ++n;
    }
    return n;
  }
  void clear_log() {
    std::lock_guard lock(mu_);
    log_.clear();
  }

 private:
  void record(const std::string& server, const httplib::Request& req) {
    std::lock_guard lock(mu_);
    log_.push_back({server, req.method, req.path, req.get_header_value("Range"),
                    req.get_header_value("Authorization")});
  }

  static std::string quoted(const std::string& s) { return "\"" + s + "\""; }

  // /{org}/{name}/resolve/{revision}/{file}, as the Hub answers it.
  void resolve(const httplib::Request& req, httplib::Response& res) {
    record("hub", req);
    std::lock_guard lock(mu_);
    if (token_ && req.get_header_value("Authorization") != "Bearer " + *token_) {
      res.status = 401;
      res.set_header("X-Error-Message", "Access restricted");
      return;
    }
    std::string repo = std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
    if (renamed_from_ && repo == *renamed_from_) {
      // A renamed repository: the Hub redirects to the new name on the same host.
      res.status = 307;
      res.set_header("Location", "/" + repo_id_ + "/resolve/" + std::string(req.matches[3]) + "/" +
                                     std::string(req.matches[4]));
      return;
    }
    if (repo != repo_id_) {
      res.status = 401;
      res.set_header("X-Error-Code", "RepoNotFound");
      return;
    }
    std::string rev = req.matches[3], file = req.matches[4];
    if (rev != "main" && rev != commit_) {
      res.status = 404;
      res.set_header("X-Error-Code", "RevisionNotFound");
      return;
    }
    res.set_header("X-Repo-Commit", commit_);
    auto it = files_.find(file);
    if (it == files_.end()) {
      res.status = 404;
      res.set_header("X-Error-Code", "EntryNotFound");
      return;
    }
    const File& f = it->second;
    if (f.lfs) {
      std::string sha = sha256_hex(f.content);
      res.status = 302;
      res.set_header("ETag", quoted(sha256_hex("pointer:" + sha).substr(0, 40)));
      res.set_header("X-Linked-Etag", quoted(sha));
      res.set_header("X-Linked-Size", std::to_string(f.content.size()));
      res.set_header("Location", "http://127.0.0.1:" + std::to_string(cdn_port_) + "/lfs/" + sha +
                                     "?X-Amz-Signature=fake");
      return;
    }
    // Regular files: the Hub's ETag is the git blob id (40 hex), never a sha256.
    res.set_header("ETag", quoted(sha256_hex("blob:" + f.content).substr(0, 40)));
    res.set_content(f.content, "application/octet-stream");
  }

  void listing(const httplib::Request& req, httplib::Response& res) {
    record("hub", req);
    std::lock_guard lock(mu_);
    std::string body = "{\"sha\":\"" + commit_ + "\",\"siblings\":[";
    bool first = true;
    for (const auto& [name, f] : files_) {
      body += std::string(first ? "" : ",") + "{\"rfilename\":\"" + name + "\"}";
      first = false;
    }
    res.set_content(body + "]}", "application/json");
  }

  // The CDN: signed URLs, no token wanted; httplib answers Range requests with 206.
  void blob(const httplib::Request& req, httplib::Response& res) {
    record("cdn", req);
    std::lock_guard lock(mu_);
    for (const auto& [name, f] : files_) {
      if (!f.lfs || sha256_hex(f.content) != std::string(req.matches[1])) continue;
      std::string content = f.content;
      if (corrupt_ && !content.empty()) content.back() = static_cast<char>(content.back() ^ 1);
      res.set_content(content, "application/octet-stream");
      return;
    }
    res.status = 404;
  }

  std::string repo_id_;
  std::string commit_ = "0123456789abcdef0123456789abcdef01234567";
  mutable std::mutex mu_;
  std::map<std::string, File> files_;
  std::optional<std::string> token_;
  std::optional<std::string> renamed_from_;
  bool corrupt_ = false;
  std::vector<Request> log_;
  httplib::Server hub_, cdn_;
  int hub_port_ = 0, cdn_port_ = 0;
  std::thread hub_thread_, cdn_thread_;
};

}  // namespace finsent::io::testing
