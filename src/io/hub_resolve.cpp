// resolve_model: `--model` accepts a directory or a Hub id already in the shared cache.
#include <system_error>

#include "finsent/core/error.hpp"
#include "finsent/io/hub.hpp"
#include "finsent/io/hub_cache.hpp"

namespace fs = std::filesystem;

namespace finsent::io {
namespace {

// The snapshot written last, for a cache that has snapshots but no refs/main (a download by
// commit hash or of another branch).
std::optional<fs::path> newest_snapshot(const fs::path& snapshots) {
  std::error_code ec;
  std::optional<fs::path> best;
  fs::file_time_type best_time{};
  for (auto it = fs::directory_iterator(snapshots, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (!it->is_directory() || !fs::exists(it->path() / "config.json")) continue;
    auto t = fs::last_write_time(it->path(), ec);
    if (ec) continue;
    if (!best || t > best_time) {
      best = it->path();
      best_time = t;
    }
  }
  return best;
}

}  // namespace

fs::path resolve_model(const std::string& dir_or_id) {
  std::error_code ec;
  if (!dir_or_id.empty() && fs::exists(dir_or_id, ec)) return fs::path(dir_or_id);

  const fs::path root = hub_cache_dir();
  const std::string advice =
      hub_offline() ? " (HF_HUB_OFFLINE is set: run `finsent download " + dir_or_id +
                          "` on a machine that reaches the Hub, then copy " + root.string() + ")"
                    : "; run `finsent download " + dir_or_id + "` first";
  try {
    validate_repo_id(dir_or_id);
  } catch (const InputError&) {
    throw ConfigError("model '" + dir_or_id +
                      "' is neither an existing directory nor a Hugging Face model id");
  }
  HubRepoCache cache(root, dir_or_id);
  std::optional<fs::path> found;
  if (std::optional<std::string> commit = cache.resolve_revision("main")) {
    fs::path snap = cache.snapshot_dir(*commit);
    if (fs::exists(snap / "config.json", ec)) found = snap;
  } else {
    found = newest_snapshot(cache.repo_dir() / "snapshots");
  }
  if (!found) {
    throw ConfigError("model '" + dir_or_id + "' is not a directory and not in the Hugging Face " +
                      "cache " + root.string() + advice);
  }
  return *found;
}

}  // namespace finsent::io
