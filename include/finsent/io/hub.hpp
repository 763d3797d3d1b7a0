// Models from the Hugging Face Hub: download into the shared cache, and resolve ids to directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace finsent::io {

// An existing path is returned as is. Otherwise `dir_or_id` ("org/name" or "name") is looked up in
// the Hugging Face cache (hub_cache_dir()): the snapshot refs/main points at, or, without that ref,
// the most recently written snapshot; it must hold config.json. Never touches the network
// (HF_HUB_OFFLINE changes only the advice given). Throws ConfigError telling the user to run
// `finsent download ID` when nothing is found.
std::filesystem::path resolve_model(const std::string& dir_or_id);

// Progress of one file transfer: bytes of `file` present so far (resumed bytes included) and the
// expected total (0 when the server gave none).
struct DownloadProgress {
  std::string file;
  uint64_t done = 0;
  uint64_t total = 0;
};

struct DownloadOptions {
  std::string revision = "main";     // branch, tag or commit hash
  std::vector<std::string> include;  // extra files: exact names or fnmatch patterns
  std::string endpoint;              // empty: $HF_ENDPOINT or https://huggingface.co
  std::optional<std::string> token;  // nullopt: $HF_TOKEN, else $HF_HOME/token, else none
  std::filesystem::path cache_dir;   // empty: hub_cache_dir()
  std::optional<bool> offline;       // nullopt: hub_offline()
  long connect_timeout_s = 10;       // per connection
  long stall_timeout_s = 60;         // abort a transfer that moves no byte for this long
  std::function<void(const DownloadProgress&)> on_progress;  // called from the downloading thread
};

struct DownloadedFile {
  enum class Status { Downloaded, Resumed, Cached };
  std::string name;            // path inside the repository, e.g. "model.safetensors"
  std::filesystem::path path;  // snapshots/<commit>/<name> (a symlink into blobs/)
  uint64_t size = 0;           // bytes
  std::string etag;            // the blob's name; 64 hex digits (its sha256) for LFS files
  Status status = Status::Cached;
  uint64_t transferred = 0;  // bytes received over the network for this file
};

struct DownloadResult {
  std::string repo_id, revision, commit;
  std::filesystem::path snapshot;     // snapshots/<commit>: a model directory for --model
  std::vector<DownloadedFile> files;  // in download order
  std::vector<std::string> absent;    // optional files the repository does not have
  uint64_t transferred = 0;           // bytes received in total
};

// Downloads a model's config.json, tokenizer files (tokenizer.json, tokenizer_config.json,
// vocab.txt, special_tokens_map.json, when present), its weights (model.safetensors, else the
// sharded model.safetensors.index.json and its shards, else pytorch_model.bin or its sharded
// index) and `include` into the cache, as huggingface_hub's hf_hub_download does: a HEAD without
// redirects for the commit (X-Repo-Commit), ETag (X-Linked-Etag first) and size (X-Linked-Size
// first), then a GET of the redirect target into blobs/<etag>.incomplete, resumed with a Range
// request when that file exists, size-checked, sha256-checked when the ETag is one (LFS files),
// renamed into blobs/<etag> and linked from snapshots/<commit>/. The revision is resolved to one
// commit first, so all files come from the same commit. A file already in the snapshot is not
// fetched again. The token goes only to the endpoint's host, never to a redirect target elsewhere.
// Offline (HF_HUB_OFFLINE), the cached snapshot is returned without any request.
// Throws IoError (network failure, HTTP error, size or sha256 mismatch: nothing is linked into the
// snapshot then), ConfigError (401/403: the message says to set HF_TOKEN; repository or revision
// not found; offline and not cached), InputError (malformed id).
DownloadResult download_model(const std::string& repo_id, const DownloadOptions& options = {});

}  // namespace finsent::io
