// `finsent download`: a model's config, tokenizer and weights from the Hugging Face Hub into the
// cache Python shares, so `--model org/name` works afterwards.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command.hpp"
#include "finsent/io/hub.hpp"

namespace finsent::app {
namespace {

using nlohmann::json;

struct DownloadCliOptions {
  std::string model_id, revision = "main", cache_dir;
  std::vector<std::string> include;
  bool as_json = false;
};

std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000.0 && u < 4) {
    v /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

const char* status_name(io::DownloadedFile::Status s) {
  switch (s) {
    case io::DownloadedFile::Status::Downloaded:
      return "downloaded";
    case io::DownloadedFile::Status::Resumed:
      return "resumed";
    case io::DownloadedFile::Status::Cached:
      return "cached";
  }
  return "?";
}

// A one-line progress display on a terminal's stderr, redrawn at most every 200 ms.
class ProgressLine {
 public:
  void operator()(const io::DownloadProgress& p) {
    auto now = std::chrono::steady_clock::now();
    bool done = p.total != 0 && p.done == p.total;
    if (!done && p.file == file_ && now - last_ < std::chrono::milliseconds(200)) return;
    file_ = p.file;
    last_ = now;
    std::string total = p.total ? " / " + human_size(p.total) : "";
    std::fprintf(stderr, "\r\033[K%s  %s%s", p.file.c_str(), human_size(p.done).c_str(),
                 total.c_str());
    if (done) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string file_;
  std::chrono::steady_clock::time_point last_{};
};

json to_json(const io::DownloadResult& r) {
  json files = json::array();
  for (const auto& f : r.files) {
    files.push_back({{"name", f.name},
                     {"size", f.size},
                     {"status", status_name(f.status)},
                     {"etag", f.etag},
                     {"transferred", f.transferred},
                     {"path", f.path.string()}});
  }
  return {{"model_id", r.repo_id},
          {"revision", r.revision},
          {"commit", r.commit},
          {"snapshot", r.snapshot.string()},
          {"files", files},
          {"absent", r.absent},
          {"transferred_bytes", r.transferred}};
}

void print_human(const io::DownloadResult& r) {
  std::cout << r.repo_id << " @ " << r.revision << " = commit " << r.commit << "\n";
  size_t width = 0;
  for (const auto& f : r.files) width = std::max(width, f.name.size());
  for (const auto& f : r.files) {
    std::string size = human_size(f.size);
    std::cout << "  " << f.name << std::string(width - f.name.size() + 2, ' ')
              << std::string(size.size() < 9 ? 9 - size.size() : 0, ' ') << size << "  "
              << status_name(f.status) << "\n";
  }
  if (!r.absent.empty()) {
    std::cout << "not in the repository:";
    for (const auto& a : r.absent) std::cout << " " << a;
    std::cout << "\n";
  }
  std::cout << "received " << human_size(r.transferred) << "\n"
            << "snapshot: " << r.snapshot.string() << "\n"
            << "use it with: --model " << r.repo_id << "\n";
}

RegisterCommand reg(40, [](CLI::App& root) {
  auto o = std::make_shared<DownloadCliOptions>();
  auto* cmd = root.add_subcommand(
      "download",
      "Download a model from the Hugging Face Hub into the shared cache "
      "(HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE honoured)");
  cmd->add_option("MODEL_ID", o->model_id, "Model id on the Hub, e.g. ProsusAI/finbert")
      ->required();
  cmd->add_option("--revision", o->revision, "Branch, tag or commit hash")->capture_default_str();
  cmd->add_option("--include", o->include,
                  "Extra files: exact names or fnmatch patterns (e.g. '1_Pooling/*')");
  cmd->add_option("--cache-dir", o->cache_dir, "Cache root instead of the Hugging Face default");
  cmd->add_flag("--json", o->as_json, "Print one JSON document");
  cmd->callback([o] {
    io::DownloadOptions d;
    d.revision = o->revision;
    d.include = o->include;
    d.cache_dir = o->cache_dir;
    if (::isatty(STDERR_FILENO)) {
      auto line = std::make_shared<ProgressLine>();
      d.on_progress = [line](const io::DownloadProgress& p) { (*line)(p); };
    }
    io::DownloadResult r = io::download_model(o->model_id, d);
    if (o->as_json) {
      std::cout << to_json(r).dump(2) << "\n";
    } else {
      print_human(r);
    }
  });
});

}  // namespace
}  // namespace finsent::app
