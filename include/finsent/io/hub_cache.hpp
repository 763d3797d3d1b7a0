// The Hugging Face Hub cache layout (huggingface_hub's), shared with Python: blobs, snapshots,
// refs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace finsent::io {

// The cache root, as huggingface_hub computes it: $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE,
// else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
std::filesystem::path hub_cache_dir();

// True when HF_HUB_OFFLINE is one of 1/ON/YES/TRUE (any case), as huggingface_hub reads it.
bool hub_offline();

// True for a 40-hex-digit git commit hash (a revision that needs no refs/ lookup).
bool is_commit_hash(const std::string& revision);

// Checks a model id ("name" or "org/name", letters, digits and -_. only, no "--" or ".."
// sequences at the edges) and throws InputError naming it otherwise.
void validate_repo_id(const std::string& repo_id);

// One model repository inside a cache root:
//   <root>/models--org--name/blobs/<etag>                 file contents, named by ETag
//   <root>/models--org--name/snapshots/<commit>/<file>     relative symlinks to ../../blobs/<etag>
//   <root>/models--org--name/refs/<revision>               the commit hash a revision points at
//   <root>/models--org--name/.no_exist/<commit>/<file>     empty marker: the file is absent there
//   <root>/.locks/models--org--name/<etag>.lock            download lock (flock, as filelock uses)
class HubRepoCache {
 public:
  // `repo_id` is validated (InputError).
  HubRepoCache(std::filesystem::path root, std::string repo_id);

  const std::string& repo_id() const { return repo_id_; }
  // <root>/models--org--name
  std::filesystem::path repo_dir() const;
  std::filesystem::path blob_path(const std::string& etag) const;
  std::filesystem::path incomplete_path(
      const std::string& etag) const;  // blob_path + ".incomplete"
  std::filesystem::path lock_path(const std::string& etag) const;
  std::filesystem::path snapshot_dir(const std::string& commit) const;
  std::filesystem::path snapshot_file(const std::string& commit, const std::string& file) const;
  std::filesystem::path no_exist_marker(const std::string& commit, const std::string& file) const;

  // The commit a revision names: the revision itself if it is a commit hash, else the content of
  // refs/<revision>; nullopt when that ref is absent. Throws IoError on an unreadable or
  // malformed ref file.
  std::optional<std::string> resolve_revision(const std::string& revision) const;
  // Writes refs/<revision> = commit atomically (no trailing newline, as huggingface_hub).
  void write_ref(const std::string& revision, const std::string& commit) const;
  // Points snapshots/<commit>/<file> at blobs/<etag> with a relative symlink, replacing any
  // existing entry atomically.
  void link_snapshot(const std::string& commit, const std::string& file,
                     const std::string& etag) const;
  // Records that `file` does not exist at `commit` (an empty .no_exist marker).
  void mark_missing(const std::string& commit, const std::string& file) const;

 private:
  std::filesystem::path root_;
  std::string repo_id_;
};

}  // namespace finsent::io
