// One file from a Hub repository into the cache, as huggingface_hub's hf_hub_download does it.
#pragma once

#include <optional>
#include <string>

#include "finsent/io/hub.hpp"
#include "finsent/io/hub_cache.hpp"
#include "hub_http.hpp"

namespace finsent::io::hub_detail {

// Fetches files of one repository at one revision. The first file fetched fixes the commit (and
// writes refs/<revision>); every later file is requested at that commit, so a push during the run
// cannot mix two versions.
class HubFileDownloader {
 public:
  HubFileDownloader(const HubRepoCache& cache, const HubHttp& http, std::string endpoint,
                    std::string revision, const DownloadOptions& options);

  // The file in the snapshot, fetched if needed; nullopt when the repository does not have it
  // (a .no_exist marker is left, as huggingface_hub does). Throws as download_model documents.
  std::optional<DownloadedFile> fetch(const std::string& file);

  // The commit of the files fetched so far; empty before the first.
  const std::string& commit() const { return commit_; }
  // "{endpoint}/{repo_id}/resolve/{revision}/{file}" (revision quoted, '/' in file kept).
  std::string resolve_url(const std::string& rev, const std::string& file) const;
  // Turns a failed response into the error download_model promises (never returns).
  [[noreturn]] void throw_http_error(const HttpResponse& r, const std::string& method,
                                     const std::string& what) const;

 private:
  struct Metadata;
  std::optional<Metadata> head(const std::string& file);
  DownloadedFile::Status download_blob(const Metadata& meta, const std::string& file,
                                       uint64_t& transferred);

  const HubRepoCache& cache_;
  const HubHttp& http_;
  std::string endpoint_, revision_, commit_;
  const DownloadOptions& options_;
};

}  // namespace finsent::io::hub_detail
