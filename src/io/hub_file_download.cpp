// hf_hub_download in C++: HEAD for metadata, GET of the redirect target into
// blobs/<etag>.incomplete (resumed by Range), size and sha256 checks, rename into blobs/<etag>,
// symlink from the snapshot.
#include "hub_file_download.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "finsent/core/error.hpp"
#include "finsent/io/hub_sha256.hpp"

namespace fs = std::filesystem;

namespace finsent::io::hub_detail {
namespace {

// An exclusive flock on the lock file huggingface_hub's filelock also uses, so two downloaders
// (finsent or Python) never write the same .incomplete blob at once.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw IoError(path.string() + ": cannot open lock file: " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd_);
      throw IoError(path.string() + ": cannot lock: " + std::strerror(err));
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_ = -1;
};

// huggingface_hub's _normalize_etag: drop a weak-validator prefix and the quotes.
std::string normalize_etag(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

bool is_sha256_hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<uint64_t> parse_size(const std::string& s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

uint64_t size_or_zero(const fs::path& p) {
  std::error_code ec;
  uint64_t n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

std::string first_line(const std::string& s, size_t max = 200) {
  std::string line = s.substr(0, s.find('\n'));
  if (line.size() > max) line = line.substr(0, max) + "...";
  return line;
}

}  // namespace

struct HubFileDownloader::Metadata {
  std::string commit, etag, location;
  std::optional<uint64_t> size;
};

HubFileDownloader::HubFileDownloader(const HubRepoCache& cache, const HubHttp& http,
                                     std::string endpoint, std::string revision,
                                     const DownloadOptions& options)
    : cache_(cache),
      http_(http),
      endpoint_(std::move(endpoint)),
      revision_(std::move(revision)),
      options_(options) {}

std::string HubFileDownloader::resolve_url(const std::string& rev, const std::string& file) const {
  return endpoint_ + "/" + cache_.repo_id() + "/resolve/" + url_quote(rev, false) + "/" +
         url_quote(file, true);
}

void HubFileDownloader::throw_http_error(const HttpResponse& r, const std::string& method,
                                         const std::string& what) const {
  const std::string& id = cache_.repo_id();
  std::string code = r.header("x-error-code");
  bool has_token = options_.token.has_value() && !options_.token->empty();
  if (code == "GatedRepo") {
    throw ConfigError("model '" + id + "' is gated: accept its conditions on the Hub, then set " +
                      "HF_TOKEN to a token of that account");
  }
  if (code == "RepoNotFound") {
    throw ConfigError("model '" + id + "' not found on " + endpoint_ +
                      (has_token ? " (or the token in HF_TOKEN cannot read it)"
                                 : " (private models need HF_TOKEN set)"));
  }
  if (code == "RevisionNotFound") {
    throw ConfigError("revision '" + revision_ + "' not found in model '" + id + "'");
  }
  if (r.status == 401 || r.status == 403) {
    throw ConfigError("access to " + what + " denied (HTTP " + std::to_string(r.status) + "): " +
                      (has_token ? "the token in HF_TOKEN cannot read model '" + id + "'"
                                 : "set HF_TOKEN to a Hugging Face access token"));
  }
  std::string detail = r.header("x-error-message");
  if (detail.empty()) detail = first_line(r.body);
  throw IoError(method + " " + r.url + ": HTTP " + std::to_string(r.status) +
                (detail.empty() ? "" : " (" + detail + ")"));
}

std::optional<HubFileDownloader::Metadata> HubFileDownloader::head(const std::string& file) {
  const std::string rev = commit_.empty() ? revision_ : commit_;
  HttpResponse r = http_.head(resolve_url(rev, file));
  bool redirect = !r.redirect_url.empty();
  if (r.status == 404) {
    std::string code = r.header("x-error-code");
    if (!code.empty() && code != "EntryNotFound") throw_http_error(r, "HEAD", file);
    std::string commit = r.header("x-repo-commit");
    if (is_commit_hash(commit)) cache_.mark_missing(commit, file);
    return std::nullopt;
  }
  if (r.status != 200 && !redirect) throw_http_error(r, "HEAD", file);

  Metadata m;
  m.commit = r.header("x-repo-commit");
  std::string etag = r.header("x-linked-etag");
  m.etag = normalize_etag(etag.empty() ? r.header("etag") : etag);
  std::string size = r.header("x-linked-size");
  m.size = parse_size(size.empty() ? r.header("content-length") : size);
  if (!is_commit_hash(m.commit)) {
    throw IoError("HEAD " + r.url + ": no valid X-Repo-Commit header (is " + endpoint_ +
                  " a Hugging Face Hub?)");
  }
  // Unlike huggingface_hub (which GETs the branch URL again), a regular file is fetched at the
  // commit the HEAD named, so a push in between cannot put new bytes under the old ETag.
  m.location = redirect ? r.redirect_url : resolve_url(m.commit, file);
  if (m.etag.empty() || m.etag.find('/') != std::string::npos || m.etag == "." || m.etag == "..") {
    throw IoError("HEAD " + r.url + ": missing or unusable ETag '" + m.etag + "'");
  }
  return m;
}

DownloadedFile::Status HubFileDownloader::download_blob(const Metadata& meta,
                                                        const std::string& file,
                                                        uint64_t& transferred) {
  const fs::path blob = cache_.blob_path(meta.etag);
  const fs::path partial = cache_.incomplete_path(meta.etag);
  std::error_code ec;
  fs::create_directories(blob.parent_path(), ec);
  if (ec) throw IoError(blob.parent_path().string() + ": cannot create: " + ec.message());
  FileLock lock(cache_.lock_path(meta.etag));
  if (fs::exists(blob)) return DownloadedFile::Status::Cached;  // another process finished it

  uint64_t resume = fs::exists(partial) ? size_or_zero(partial) : 0;
  if (meta.size && resume > *meta.size) {
    fs::remove(partial, ec);
    resume = 0;
  }
  auto status = resume > 0 ? DownloadedFile::Status::Resumed : DownloadedFile::Status::Downloaded;
  if (!meta.size || resume < *meta.size || !fs::exists(partial)) {
    auto progress = [&](uint64_t done) {
      if (options_.on_progress) options_.on_progress({file, done, meta.size.value_or(0)});
    };
    HttpResponse r = http_.get_to_file(meta.location, partial, resume, progress);
    if (r.status != 200 && r.status != 206) throw_http_error(r, "GET", file);
    if (r.status == 200) status = DownloadedFile::Status::Downloaded;  // Range ignored: restarted
    uint64_t now = size_or_zero(partial);
    transferred = r.status == 206 ? now - resume : now;
  }

  const uint64_t got = size_or_zero(partial);
  if (meta.size && got != *meta.size) {
    // A short file is kept: the next run resumes it.
    throw IoError(file + ": received " + std::to_string(got) + " of " + std::to_string(*meta.size) +
                  " bytes; run the download again to resume");
  }
  if (is_sha256_hex(meta.etag)) {
    std::string actual = sha256_file_hex(partial);
    if (actual != meta.etag) {
      fs::remove(partial, ec);
      throw IoError(file + ": sha256 mismatch: the Hub's ETag says " + meta.etag + ", got " +
                    actual + "; the corrupt download was removed");
    }
  }
  fs::rename(partial, blob, ec);
  if (ec) throw IoError(blob.string() + ": cannot rename the download into place: " + ec.message());
  return status;
}

std::optional<DownloadedFile> HubFileDownloader::fetch(const std::string& file) {
  std::optional<Metadata> meta = head(file);
  if (!meta) return std::nullopt;
  if (commit_.empty()) {
    commit_ = meta->commit;
    if (revision_ != commit_) cache_.write_ref(revision_, commit_);
  } else if (meta->commit != commit_) {
    throw IoError("HEAD " + resolve_url(commit_, file) + ": the server answered for commit " +
                  meta->commit + " instead of " + commit_);
  }

  DownloadedFile out;
  out.name = file;
  out.path = cache_.snapshot_file(commit_, file);
  out.etag = meta->etag;
  std::error_code ec;
  // A snapshot entry whose blob is present is complete: blobs only appear by rename.
  if (fs::exists(out.path, ec) && fs::read_symlink(out.path, ec).filename() == meta->etag) {
    out.status = DownloadedFile::Status::Cached;
  } else {
    if (!fs::exists(cache_.blob_path(meta->etag))) {
      out.status = download_blob(*meta, file, out.transferred);
    }
    cache_.link_snapshot(commit_, file, meta->etag);
  }
  out.size = size_or_zero(out.path);
  return out;
}

}  // namespace finsent::io::hub_detail
